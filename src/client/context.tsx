import {QueryClient, QueryClientProvider} from '@tanstack/react-query'
import {createContext, useContext, useMemo, useState, type ReactNode} from 'react'
import type {SanityClient} from 'sanity'

import type {ResolvedClerkAccessConfig} from '../config'
import {PLUGIN_NAME} from '../resolveConfig'
import {ProxyError} from './proxyClient'
import type {ProxyClient} from './proxyClient'

/** What every plugin component needs: the resolved options and the proxy client. */
export interface ClerkAccessContextValue {
  config: ResolvedClerkAccessConfig
  client: ProxyClient
  /** False when the Studio has no token to send (cookie login): the proxy will answer 401. */
  hasToken: boolean
  /** The Studio's Sanity client (pinned API version), for reads such as the access history. */
  sanity?: SanityClient
}

const ClerkAccessContext = createContext<ClerkAccessContextValue | null>(null)

function shouldRetry(failureCount: number, error: unknown): boolean {
  // A 4xx will answer the same again (except 429, which says when to come back).
  if (error instanceof ProxyError && error.status < 500 && error.status !== 429) return false
  return failureCount < 2
}

/** A QueryClient of the plugin's own, so its cache and defaults never touch the host's. */
export function createClerkQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {retry: shouldRetry, staleTime: 10_000, refetchOnWindowFocus: false},
      mutations: {retry: false},
    },
  })
}

/** Props of {@link ClerkAccessProvider}. */
export interface ClerkAccessProviderProps extends ClerkAccessContextValue {
  /** Tests pass their own to inspect or preset the cache. */
  queryClient?: QueryClient
  children: ReactNode
}

/** Provides the plugin context and its private React Query cache to everything below. */
export function ClerkAccessProvider(props: ClerkAccessProviderProps): React.JSX.Element {
  const {config, client, hasToken, sanity, children} = props
  const [ownQueryClient] = useState(createClerkQueryClient)
  const queryClient = props.queryClient ?? ownQueryClient
  const value = useMemo(
    () => ({config, client, hasToken, sanity}),
    [config, client, hasToken, sanity],
  )
  return (
    <ClerkAccessContext.Provider value={value}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ClerkAccessContext.Provider>
  )
}

/** The plugin context; throws a message that says how to fix a missing provider. */
export function useClerkAccess(): ClerkAccessContextValue {
  const value = useContext(ClerkAccessContext)
  if (!value) {
    throw new Error(
      `${PLUGIN_NAME}: this component must render inside a Studio that uses the clerkAccess() plugin`,
    )
  }
  return value
}
