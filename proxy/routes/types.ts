import type {Permission} from '../../core/contract'
import type {EditorIdentity} from '../auth/identity'
import type {ProxyLogger} from '../http/redact'
import type {ResolvedClerkProxyOptions} from '../options'
import type {ProxyEngine} from './engine'

export interface RouteContext {
  request: Request
  /** Path segments matched by `:param` parts of the route pattern, decoded. */
  params: Record<string, string>
  /** The verified editor; `null` on routes that need no editor. */
  identity: EditorIdentity | null
  engine: ProxyEngine
  options: ResolvedClerkProxyOptions
  logger: ProxyLogger
}

export interface Route {
  method: 'GET' | 'POST'
  /** Path below the base path, e.g. `/users/:id`. */
  path: string
  /**
   * `null`: no editor needed (the route authenticates otherwise or is public); `authenticated`:
   * any verified editor; otherwise the permission the editor must hold.
   */
  access: Permission | 'authenticated' | null
  handle(context: RouteContext): Promise<Response>
}
