export {clerkAccess, CLERK_INSPECTOR_NAME} from './plugin'
export type {ClerkAccessConfig, GrantableType} from './config'
export {CLERK_TYPES} from './schema/names'
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
