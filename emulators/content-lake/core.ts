import type {FaultInjector, RequestLogEntry} from './faults'
import type {FunctionRunner} from './functions'
import type {Identity} from './identity'
import type {ListenerHub} from './listeners'
import type {QueryPlanner} from './planner'
import type {QueryReplica} from './replica'
import type {DocumentStore} from './store'
import type {WebhookDispatcher} from './webhooks'

/** Everything the routes work with: one project, one dataset. */
export interface LakeCore {
  projectId: string
  dataset: string
  store: DocumentStore
  /** What GROQ queries read: the store itself, or a lagging replica of it. */
  replica: QueryReplica
  /** Answers queries through the indexes; null scans every document (the baseline). */
  planner: QueryPlanner | null
  identity: Identity
  listeners: ListenerHub
  webhooks: WebhookDispatcher
  functions: FunctionRunner
  faults: FaultInjector
  requests: RequestLogEntry[]
}
