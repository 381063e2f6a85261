import {LayerProvider, ThemeProvider} from '@sanity/ui'
import {buildTheme} from '@sanity/ui/theme'
import {ToastProvider} from '@sanity/ui/toast'
import {render, renderHook, screen} from '@testing-library/react'
import {useEffect} from 'react'
import {describe, expect, it} from 'vitest'

import {useToast} from './toast'

function PushOnMount() {
  const toast = useToast()
  useEffect(() => {
    toast.push({id: 'probe', status: 'success', title: 'Reached the host ToastProvider'})
  }, [toast])
  return null
}

describe('useToast (both @sanity/ui majors)', () => {
  it("shows a toast through the host's @sanity/ui ToastProvider", async () => {
    render(
      <ThemeProvider theme={buildTheme()}>
        <LayerProvider>
          <ToastProvider>
            <PushOnMount />
          </ToastProvider>
        </LayerProvider>
      </ThemeProvider>,
    )
    expect(await screen.findByText('Reached the host ToastProvider')).toBeInTheDocument()
  })

  it('reads the context @sanity/ui keeps on globalThis for all its copies', () => {
    const shared = (globalThis as unknown as Record<symbol, unknown>)[
      Symbol.for('@sanity/ui/context/toast')
    ]
    expect(shared).toBeDefined()
    const value = {version: 0 as const, push: () => 'pushed'}
    const {Provider} = shared as React.Context<typeof value>
    const {result} = renderHook(() => useToast(), {
      wrapper: ({children}) => <Provider value={value}>{children}</Provider>,
    })
    expect(result.current).toBe(value)
  })

  it('names the plugin when no ToastProvider is above it', () => {
    expect(() => renderHook(() => useToast())).toThrow(
      'sanity-plugin-clerk: no @sanity/ui ToastProvider above this component',
    )
  })
})
