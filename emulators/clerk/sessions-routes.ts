/**
 * `/v1/sessions…` and `/v1/jwks`, plus the admin routes that set what Clerk's dashboard holds:
 * the session-token template and JWT templates.
 */
import {isJsonObject, type JsonObject} from './metadata'
import {readPage, readString, validateBody} from './params'
import type {Router} from './router'
import type {JwtTemplate, SessionStore, SessionTokenSettings} from './sessions'

function tokenBody(body: JsonObject): {expiresInSeconds: number | null} {
  const {expires_in_seconds: seconds} = validateBody<{expires_in_seconds?: number | null}>(body, {
    expires_in_seconds: 'integer',
  })
  return {expiresInSeconds: seconds ?? null}
}

/** Adds the session routes of Clerk's Backend API. */
export function addSessionRoutes(router: Router, sessions: SessionStore): Router {
  return router
    .add('GET', '/jwks', () => sessions.jwks())
    .add('POST', '/sessions', ({body}) => {
      const input = validateBody<{user_id: string; active_organization_id?: string | null}>(
        body,
        {user_id: 'string', active_organization_id: 'string'},
        ['user_id'],
      )
      return sessions.create({
        userId: input.user_id,
        activeOrganizationId: input.active_organization_id ?? null,
      })
    })
    .add('GET', '/sessions', ({query}) => {
      const userId = readString(query, 'user_id')
      const status = readString(query, 'status')
      const all = sessions.list({
        ...(userId !== undefined && {userId}),
        ...(status !== undefined && {status}),
      })
      const {limit, offset} = readPage(query)
      const data = all.slice(offset, offset + limit)
      // The SDK's getSessionList asks for `paginated=true`; the plain list is a bare array.
      return query.get('paginated') === 'true' ? {data, total_count: all.length} : data
    })
    .add('GET', '/sessions/:sessionId', ({params}) => sessions.get(params.sessionId as string))
    .add('POST', '/sessions/:sessionId/revoke', ({params}) =>
      sessions.revoke(params.sessionId as string),
    )
    .add('POST', '/sessions/:sessionId/tokens', ({params, body}) =>
      sessions.mintToken(params.sessionId as string, tokenBody(body)),
    )
    .add('POST', '/sessions/:sessionId/tokens/:template', ({params, body}) =>
      sessions.mintToken(params.sessionId as string, {
        template: params.template as string,
        ...tokenBody(body),
      }),
    )
}

/**
 * Admin routes (under `/__emulator`): `GET|PUT /session-token` (`{claims, lifetimeSeconds,
 * authorizedParty}`, parts may be left out) and `PUT /jwt-templates/{name}` (`{claims,
 * lifetimeSeconds}`).
 */
export function addSessionAdminRoutes(router: Router, sessions: SessionStore): Router {
  return router
    .add('GET', '/session-token', () => sessions.sessionToken)
    .add('PUT', '/session-token', ({body}) =>
      sessions.configureSessionToken(
        validateBody<Partial<SessionTokenSettings>>(body, {
          claims: 'object',
          lifetimeSeconds: 'integer',
          authorizedParty: 'string',
        }),
      ),
    )
    .add('PUT', '/jwt-templates/:name', ({params, body}) => {
      const input = validateBody<Partial<JwtTemplate>>(
        body,
        {claims: 'object', lifetimeSeconds: 'integer'},
        ['claims'],
      )
      return sessions.setJwtTemplate(params.name as string, {
        claims: isJsonObject(input.claims) ? input.claims : {},
        ...(input.lifetimeSeconds != null && {lifetimeSeconds: input.lifetimeSeconds}),
      })
    })
}
