import {isClerkOrganizationId, isClerkUserId} from '../../core/access'
import {PROXY_ROUTES} from '../../core/contract'
import {badRequest} from '../http/errors'
import {jsonResponse} from '../http/responses'
import type {SearchParams} from './engine'
import type {Route} from './types'

const DEFAULT_LIMIT = 10
const MAX_LIMIT = 100
const MAX_OFFSET = 100_000
const MAX_QUERY_LENGTH = 200

function integerParam(url: URL, name: string, fallback: number, min: number, max: number) {
  const raw = url.searchParams.get(name)
  if (raw === null || raw === '') return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw badRequest('invalid_query', `"${name}" must be an integer from ${min} to ${max}.`)
  }
  return value
}

/** The search parameters of `request`, validated before anything reaches Clerk. */
export function searchParamsOf(request: Request): SearchParams {
  const url = new URL(request.url)
  const query = (url.searchParams.get('query') ?? '').trim()
  if (query.length > MAX_QUERY_LENGTH) {
    throw badRequest('invalid_query', `"query" must be at most ${MAX_QUERY_LENGTH} characters.`)
  }
  return {
    query,
    limit: integerParam(url, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: integerParam(url, 'offset', 0, 0, MAX_OFFSET),
  }
}

/** `GET /users?query=&limit=&offset=`: one Clerk request; needs `search`, not just `read`. */
export const searchUsersRoute: Route = {
  method: 'GET',
  path: PROXY_ROUTES.users,
  access: 'search',
  handle: async ({request, engine}) =>
    jsonResponse(await engine.searchUsers(searchParamsOf(request))),
}

/** `GET /organizations?query=&limit=&offset=`: one Clerk request. */
export const searchOrganizationsRoute: Route = {
  method: 'GET',
  path: PROXY_ROUTES.organizations,
  access: 'search',
  handle: async ({request, engine}) =>
    jsonResponse(await engine.searchOrganizations(searchParamsOf(request))),
}

function statusRoute(path: string, isSubjectId: (id: unknown) => boolean, kind: string): Route {
  return {
    method: 'GET',
    path,
    access: 'read',
    async handle({params, identity, engine}) {
      const id = params.id ?? ''
      if (!isSubjectId(id)) {
        throw badRequest(
          'invalid_id',
          `${JSON.stringify(id.slice(0, 80))} is not a Clerk ${kind} id.`,
        )
      }
      const includePrivate = identity?.permissions.includes('readPrivate') ?? false
      return jsonResponse(await engine.status(id, {includePrivate}))
    },
  }
}

/** `GET /users/:id`: live Clerk state, effective access and drift; private metadata needs `readPrivate`. */
export const userStatusRoute = statusRoute(PROXY_ROUTES.user(':id'), isClerkUserId, 'user')
/** `GET /organizations/:id`: as {@link userStatusRoute}, for organizations. */
export const organizationStatusRoute = statusRoute(
  PROXY_ROUTES.organization(':id'),
  isClerkOrganizationId,
  'organization',
)
