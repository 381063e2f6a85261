/**
 * `POST /clerk-webhook`: Clerk's own events (Svix deliveries), so access follows what happens on
 * Clerk's side without an editor: a user signing up, adding or verifying an address (which binds
 * email-addressed entitlements), being deleted.
 */
import {verifyWebhook, type WebhookEvent} from '@clerk/backend/webhooks'
import {isClerkUserId} from '../../core/access'
import {PROXY_ROUTES, type SubjectSyncResult} from '../../core/contract'
import {readTextBody} from '../http/body'
import {notFound, ProxyHttpError} from '../http/errors'
import {jsonResponse} from '../http/responses'
import {PASSING_FAILURES} from '../sync/errors'
import type {Route} from './types'

/** Remembered longer than Svix's retries of one message last (about 28 h), with room. */
const DONE_TTL_MS = 48 * 60 * 60_000
/** A delivery being handled stays claimed this long without finishing (a crashed instance's ends). */
const RUNNING_TTL_MS = 2 * 60_000

/** What `POST /clerk-webhook` answers (Svix keeps it in the message's attempt log). */
export interface ClerkWebhookResponse {
  /** `true` when this message was already handled: nothing was done. */
  duplicate?: boolean
  /** Why the event needed no sync, when it did not. */
  ignored?: string
  results: SubjectSyncResult[]
}

/**
 * The user whose access an event may change, or why none. A user's own events and the
 * verification email of an address they added name them; a deletion leaves nothing to write (the
 * Studio finds orphaned entitlements by asking Clerk, live); memberships and organizations
 * change nothing the proxy writes to a user (the panel reads memberships live).
 */
function userOf(event: WebhookEvent): {user: string} | {ignored: string} {
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
      return isClerkUserId(event.data.id) ? {user: event.data.id} : {ignored: 'no user id'}
    case 'email.created':
      return isClerkUserId(event.data.user_id)
        ? {user: event.data.user_id}
        : {ignored: 'an email to no user'}
    case 'user.deleted':
    case 'organization.deleted':
      return {
        ignored: `${event.data.id ?? 'the subject'} is gone; its entitlements show as orphaned`,
      }
    default:
      return {ignored: `${event.type} changes no access the proxy writes`}
  }
}

/**
 * Verified with `@clerk/backend`'s `verifyWebhook` (Svix signature over id, timestamp and body,
 * timestamp within 5 minutes), then claimed by its `svix-id` in the shared store: the id is
 * signed, so a replay within the window is a duplicate and does nothing, on any instance. A
 * passing failure (Clerk or Sanity busy) answers 502 and releases the claim, so Svix's retry
 * does the work; a message another attempt is still handling answers 409 for the same reason.
 */
export const clerkWebhookRoute: Route = {
  method: 'POST',
  path: PROXY_ROUTES.clerkWebhook,
  access: null,
  async handle({request, engine, options, logger}) {
    const secret = options.clerkWebhookSecret
    if (!secret) {
      throw notFound('The Clerk webhook route is disabled: configure "clerkWebhookSecret".')
    }
    const rawBody = await readTextBody(request, options.bodyLimitBytes)
    let event: WebhookEvent
    try {
      // verifyWebhook reads the body itself: hand it a copy with the text already read.
      event = await verifyWebhook(
        new Request(request.url, {method: 'POST', headers: request.headers, body: rawBody}),
        {signingSecret: secret},
      )
    } catch {
      throw new ProxyHttpError(
        401,
        'invalid_signature',
        'The Clerk webhook signature is missing, wrong or too old.',
      )
    }
    const key = `clerk-webhook:${request.headers.get('svix-id')}`
    const store = options.store
    const claim = await store.claim(key, RUNNING_TTL_MS)
    if (claim === 'done') {
      return jsonResponse({duplicate: true, results: []} satisfies ClerkWebhookResponse)
    }
    if (claim === 'running') {
      throw new ProxyHttpError(
        409,
        'delivery_in_progress',
        'Another attempt of this message is still running; Svix will retry.',
      )
    }
    try {
      const target = userOf(event)
      if ('ignored' in target) {
        await store.complete(key, DONE_TTL_MS)
        logger.info(`clerk webhook ${event.type}: ${target.ignored}`)
        return jsonResponse({ignored: target.ignored, results: []} satisfies ClerkWebhookResponse)
      }
      const results = await engine.syncSubjects([target.user])
      const retryable = results.filter(
        (result) => result.outcome === 'failed' && PASSING_FAILURES.has(result.error?.code ?? ''),
      )
      if (retryable.length > 0) {
        throw new ProxyHttpError(
          502,
          'sync_failed',
          `Sync of ${target.user} failed for now; Svix will retry.`,
        )
      }
      await store.complete(key, DONE_TTL_MS)
      logger.info(
        `clerk webhook ${event.type}: ${results.map((r) => `${r.subject} ${r.outcome}`).join(', ')}`,
      )
      return jsonResponse({results} satisfies ClerkWebhookResponse)
    } catch (error) {
      await store.release(key)
      throw error
    }
  },
}
