// Registers the plugin's action key, so other plugins can find "Sync to Clerk now" by
// `action === 'clerkSync'`. It lives in the entry so the published types carry it.
declare module 'sanity' {
  interface DocumentActionKeys {
    /** The plugin's "Sync to Clerk now" action. */
    clerkSync: never
  }
}

export {clerkAccess, CLERK_INSPECTOR_NAME} from './plugin'
export type {ClerkAccessConfig, GrantableType} from './config'
export {CLERK_TYPES} from './schema/names'
export {
  clerkGermanLocaleBundle,
  clerkLocaleNamespace,
  clerkUsEnglishLocaleBundle,
  type ClerkLocaleResourceKeys,
} from './i18n'
export {ClerkAccessView, type ClerkAccessViewProps} from './components/ClerkAccessView'
export {
  createProxyClient,
  ProxyError,
  ProxyUnreachableError,
  type CallOptions,
  type ProxyClient,
  type ProxyClientOptions,
  type SearchParams,
} from './client/proxyClient'
