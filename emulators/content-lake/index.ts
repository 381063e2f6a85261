export {startContentLake, LAKE_API_VERSION} from './server'
export type {ContentLake, ContentLakeOptions, LakeClientConfig} from './server'
export {createLakeClient} from './client'
export {signWebhookPayload} from './webhooks'
export type {WebhookDispatcher, WebhookKnobs, WebhookTimings, DeliveryAttempt} from './webhooks'
export type {FaultInjector, FaultRule, RequestLogEntry} from './faults'
export type {QueryLag} from './replica'
export type {FunctionRunner, FunctionInvocation} from './functions'
export type {
  DocumentChange,
  FunctionContext,
  FunctionEvent,
  LakeDocument,
  LakeFunction,
  LakeRole,
  LakeTransaction,
  LakeUser,
  WebhookConfig,
  WebhookOperation,
} from './types'
