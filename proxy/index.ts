/**
 * The server side of sanity-plugin-clerk: a Web-standard proxy between the Studio, Sanity's
 * Content Lake and Clerk, with adapters for Node, Next.js and Sanity Functions.
 */
export {
  createClerkProxy,
  createClerkProxyHandler,
  type ClerkProxyHandler,
  type ClerkProxyHandlerParts,
} from './createClerkProxy'
export {
  clerkProxyOptionsFromEnv,
  resolveClerkProxyOptions,
  PROXY_ENV,
  type ClerkProxyOptions,
  type ClerkProxySanityOptions,
  type ResolvedClerkProxyOptions,
} from './options'
export {
  createMemoryStore,
  createRedisStore,
  type ClaimState,
  type Lease,
  type MemoryStoreOptions,
  type ProxyStore,
  type RateWindow,
  type RedisEvalClient,
  type RedisStoreOptions,
} from './store'
export {DEFAULT_ROLE_PERMISSIONS, type RolePermissions} from './auth/permissions'
export type {RateLimitOptions} from './auth/rateLimit'
export type {ProxyLogger} from './http/redact'
export type {ClientAddressOptions} from './http/client'
export {
  DOCUMENT_EVENT_PROJECTION,
  documentEventFilter,
  type DocumentEvent,
} from './routes/documentEvent'
export {resolveAccessRules, type AccessRules, type AccessRulesOptions} from '../core/access'
export type {ProxyEngine, SearchParams} from './routes/engine'
export type {WebhookResponse} from './routes/webhook'
export {
  createNodeRequestListener,
  createNodeServer,
  startNodeServer,
  type RunningNodeServer,
  type StartNodeServerOptions,
} from './adapters/node'
export {
  createNextRouteHandlers,
  type NextRouteHandler,
  type NextRouteHandlers,
} from './adapters/next'
export {
  createClerkSyncFunction,
  type ClerkSyncFunctionOptions,
  type DocumentFunctionInput,
} from './adapters/sanity-function'
export {createProxyEngine} from './createClerkProxy'
export {
  createSyncEngine,
  type ConvergenceOptions,
  type SyncEngine,
  type SyncEngineOptions,
  type ValiditySweepRun,
} from './sync'
export type * from '../core/contract'
