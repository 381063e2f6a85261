import {LayerProvider, ThemeProvider} from '@sanity/ui'
import {buildTheme} from '@sanity/ui/theme'
import {ToastProvider} from '@sanity/ui/toast'
import {render, renderHook, type RenderResult} from '@testing-library/react'
import type {ReactNode} from 'react'
import {I18nextProvider} from 'react-i18next'
import type {SanityClient} from 'sanity'

import type {ClerkAccessConfig} from '../config'
import {ClerkAccessProvider, createClerkQueryClient} from '../client/context'
import {resolveConfig} from '../resolveConfig'
import {createFakeProxyClient, type FakeProxyClient} from './fakeProxyClient'
import {createTestI18n, type TestLocale} from './i18n'

const theme = buildTheme()

/** Options of {@link renderWithClerk}. */
export interface ClerkTestOptions {
  client?: FakeProxyClient
  config?: Partial<ClerkAccessConfig>
  hasToken?: boolean
  /** The Studio locale the plugin's strings render in (default en-US). */
  locale?: TestLocale
  /** The Studio's Sanity client as the plugin context hands it out (default: none). */
  sanity?: SanityClient
}

function wrapperFor({
  client = createFakeProxyClient(),
  config,
  hasToken = true,
  locale,
  sanity,
}: ClerkTestOptions) {
  const i18n = createTestI18n(locale)
  const resolved = resolveConfig({proxyUrl: 'http://127.0.0.1:1', ...config})
  const queryClient = createClerkQueryClient()
  // No retries in tests: an error state should show at once.
  queryClient.setDefaultOptions({queries: {retry: false, staleTime: 0}, mutations: {retry: false}})
  function Wrapper({children}: {children: ReactNode}) {
    return (
      <ThemeProvider theme={theme}>
        <I18nextProvider i18n={i18n}>
          <LayerProvider>
            <ToastProvider>
              <ClerkAccessProvider
                config={resolved}
                client={client}
                hasToken={hasToken}
                sanity={sanity}
                queryClient={queryClient}
              >
                {children}
              </ClerkAccessProvider>
            </ToastProvider>
          </LayerProvider>
        </I18nextProvider>
      </ThemeProvider>
    )
  }
  return {Wrapper, client, queryClient}
}

/**
 * Renders inside the Sanity UI theme, the plugin's strings, toasts and the plugin context with a
 * fake proxy.
 */
export function renderWithClerk(ui: ReactNode, options: ClerkTestOptions = {}) {
  const {Wrapper, client, queryClient} = wrapperFor(options)
  const result: RenderResult = render(ui, {wrapper: Wrapper})
  return {...result, client, queryClient}
}

/** `renderHook` inside the same providers as {@link renderWithClerk}. */
export function renderHookWithClerk<Result, Props>(
  hook: (props: Props) => Result,
  options: ClerkTestOptions & {initialProps?: Props} = {},
) {
  const {Wrapper, client, queryClient} = wrapperFor(options)
  const result = renderHook(hook, {wrapper: Wrapper, initialProps: options.initialProps})
  return {...result, client, queryClient}
}
