import {PROXY_ROUTES, type MeResponse} from '../../core/contract'
import {jsonResponse} from '../http/responses'
import type {Route} from './types'

/** `GET /me`: the editor as Sanity vouches for them, and what they may do here. */
export const meRoute: Route = {
  method: 'GET',
  path: PROXY_ROUTES.me,
  access: 'authenticated',
  handle: async ({identity}) => jsonResponse(identity satisfies MeResponse | null),
}
