import {render, screen, waitFor} from '@testing-library/react'
import type {LayoutProps, SanityClient} from 'sanity'
import {describe, expect, it, vi} from 'vitest'

import {PLUGIN_VERSION_HEADER} from '../../core/contract'
import {useClerkAccess} from '../client/context'
import {resolveConfig} from '../resolveConfig'
import {createClerkAccessLayout} from './ClerkAccessLayout'

const studio = vi.hoisted(() => ({token: 'sk-sanity-editor' as string | undefined}))

vi.mock('sanity', async (importOriginal) => ({
  ...(await importOriginal<typeof import('sanity')>()),
  useClient: () => ({config: () => ({token: studio.token})}) as unknown as SanityClient,
}))

function Probe() {
  const {client, hasToken, config} = useClerkAccess()
  return (
    <button
      data-has-token={hasToken}
      data-proxy={config.proxyUrl}
      onClick={() => void client.health()}
    >
      probe
    </button>
  )
}

function renderLayout() {
  const Layout = createClerkAccessLayout(resolveConfig({proxyUrl: 'http://127.0.0.1:9/clerk/'}))
  const props = {renderDefault: () => <Probe />} as unknown as LayoutProps
  render(<Layout {...props} />)
  return screen.getByText('probe')
}

describe('ClerkAccessLayout', () => {
  it('gives the Studio a proxy client that sends the editor’s own Sanity token', async () => {
    studio.token = 'sk-sanity-editor'
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(Response.json({ok: true, version: '1'}))
    const probe = renderLayout()
    expect(probe).toHaveAttribute('data-has-token', 'true')
    expect(probe).toHaveAttribute('data-proxy', 'http://127.0.0.1:9/clerk')
    probe.click()
    await waitFor(() => expect(fetchSpy).toHaveBeenCalled())
    const [url, init] = fetchSpy.mock.calls[0]!
    const headers = new Headers(init?.headers)
    expect(url).toBe('http://127.0.0.1:9/clerk/health')
    expect(headers.get('authorization')).toBe('Bearer sk-sanity-editor')
    expect(headers.get(PLUGIN_VERSION_HEADER)).toBeTruthy()
    fetchSpy.mockRestore()
  })

  it('knows when cookie login leaves it without a token', () => {
    studio.token = undefined
    expect(renderLayout()).toHaveAttribute('data-has-token', 'false')
  })
})
