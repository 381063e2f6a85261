/**
 * Admin routes for what Clerk does on its own side: the webhook endpoint (`PUT/DELETE
 * /__emulator/webhook`, its attempts, knobs and held deliveries) and an invitee signing up
 * through an invitation (`POST /__emulator/invitations/{id}/accept`).
 */
import {paramInvalid} from './errors'
import type {ClerkEventType} from './events'
import {isJsonObject} from './metadata'
import type {Router} from './router'
import type {ClerkStore} from './store'
import {
  generateWebhookSecret,
  type ClerkWebhookDispatcher,
  type ClerkWebhookKnobs,
  type ClerkWebhookTimings,
} from './webhooks'

function readTimings(value: unknown): ClerkWebhookTimings {
  if (value === undefined) return {}
  if (!isJsonObject(value)) throw paramInvalid('timings', 'timings must be an object.')
  const {retryDelaysMs, timeoutMs} = value
  const delays = retryDelaysMs ?? []
  if (!Array.isArray(delays) || !delays.every((ms) => typeof ms === 'number' && ms >= 0)) {
    throw paramInvalid('timings.retryDelaysMs', 'retryDelaysMs must be a list of numbers ≥ 0.')
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw paramInvalid('timings.timeoutMs', 'timeoutMs must be a number > 0.')
  }
  return {
    ...(retryDelaysMs !== undefined && {retryDelaysMs: delays as number[]}),
    ...(timeoutMs !== undefined && {timeoutMs}),
  }
}

function readKnobs(value: unknown): ClerkWebhookKnobs {
  if (value === undefined) return {}
  if (!isJsonObject(value)) throw paramInvalid('knobs', 'knobs must be an object.')
  const {duplicate, delayMs, hold} = value
  for (const [name, number] of Object.entries({duplicate, delayMs})) {
    if (number !== undefined && !(typeof number === 'number' && number >= 0)) {
      throw paramInvalid(`knobs.${name}`, `${name} must be a number ≥ 0.`)
    }
  }
  if (hold !== undefined && typeof hold !== 'boolean') {
    throw paramInvalid('knobs.hold', 'hold must be true or false.')
  }
  return value as ClerkWebhookKnobs
}

export function addEventAdminRoutes(
  router: Router,
  state: {store: ClerkStore; webhooks: ClerkWebhookDispatcher},
): Router {
  const {store, webhooks} = state
  return router
    .add('PUT', '/webhook', ({body}) => {
      if (typeof body.url !== 'string') throw paramInvalid('url', 'url must be a string.')
      const secret = typeof body.secret === 'string' ? body.secret : generateWebhookSecret()
      const events = body.events
      if (
        events !== undefined &&
        !(Array.isArray(events) && events.every((e) => typeof e === 'string'))
      ) {
        throw paramInvalid('events', 'events must be a list of event types.')
      }
      const timings = readTimings(body.timings)
      const knobs = readKnobs(body.knobs)
      try {
        webhooks.setEndpoint({
          url: body.url,
          secret,
          ...(events !== undefined && {events: events as ClerkEventType[]}),
        })
      } catch (error) {
        throw paramInvalid('url', (error as Error).message)
      }
      webhooks.setTimings(timings)
      webhooks.configure(knobs)
      return {url: body.url, secret}
    })
    .add('DELETE', '/webhook', () => {
      webhooks.setEndpoint(undefined)
      return {ok: true}
    })
    .add('PUT', '/webhook/knobs', ({body}) => {
      webhooks.configure(readKnobs(body))
      return {ok: true}
    })
    .add('POST', '/webhook/release', ({body}) => {
      webhooks.release(body.order === 'reverse' ? 'reverse' : 'fifo')
      return {ok: true}
    })
    .add('GET', '/webhook/attempts', () => ({data: webhooks.attempts}))
    .add('POST', '/invitations/:invitationId/accept', ({params, body}) => {
      const {user, invitation, redirectUrl} = store.acceptInvitation(
        params.invitationId as string,
        {
          ...(typeof body.first_name === 'string' && {first_name: body.first_name}),
          ...(typeof body.last_name === 'string' && {last_name: body.last_name}),
          ...(typeof body.id === 'string' && {id: body.id}),
        },
      )
      return {user, invitation, redirect_url: redirectUrl}
    })
}
