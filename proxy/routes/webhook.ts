import {SIGNATURE_HEADER_NAME} from '@sanity/webhook'

import {PROXY_ROUTES, type SubjectSyncResult} from '../../core/contract'
import {verifyWebhookSignature} from '../auth/webhook'
import {readTextBody} from '../http/body'
import {badRequest, notFound, ProxyHttpError} from '../http/errors'
import {jsonResponse} from '../http/responses'
import type {ProxyStore} from '../store'
import {PASSING_FAILURES} from '../sync/errors'
import {parseDocumentEvent, subjectsOfDocumentEvent} from './documentEvent'
import type {Route} from './types'

/** How long a handled delivery is remembered: longer than Sanity's retries and the replay window. */
const DONE_TTL_MS = 60 * 60_000
/**
 * How long a delivery being handled stays claimed without finishing: longer than any sync takes,
 * so a retry never runs beside a live first attempt; a crashed instance's claim ends with it.
 */
const RUNNING_TTL_MS = 2 * 60_000
/** How long a retry waits for an earlier attempt still running, within Sanity's delivery timeout. */
const WAIT_FOR_RUNNING_MS = 5_000

/** What `POST /webhook` answers Sanity (for logs and the webhook's attempt log). */
export interface WebhookResponse {
  /** `true` when this delivery was already handled; nothing was done. */
  duplicate?: boolean
  /** Why the event did not need a sync, when it did not. */
  ignored?: string
  results: SubjectSyncResult[]
}

/**
 * The keys a delivery is remembered by: Sanity's delivery id and the verified signature. The id
 * headers are not signed, so a replay could drop or change them; the signature (timestamp and
 * body) it cannot, so a captured delivery replayed within the window does nothing.
 */
function deliveryKeys(headers: Headers): string[] {
  const keys = [`signature:${headers.get(SIGNATURE_HEADER_NAME)}`]
  const key = headers.get('idempotency-key')
  if (key) return [...keys, key]
  const parts = ['sanity-webhook-id', 'sanity-transaction-id', 'sanity-document-id'].map((name) =>
    headers.get(name),
  )
  return parts.every(Boolean) ? [...keys, parts.join(':')] : keys
}

/**
 * Claims every key of a delivery. `done`: an attempt already did the work. `running`: another
 * attempt (Sanity's retry overlapping a slow first one, or a duplicate on another instance) is
 * still at it after `WAIT_FOR_RUNNING_MS`; its outcome is unknown, so this one must not be
 * acknowledged. `claimed`: the caller does the work and completes or releases `keys`.
 */
async function claimDelivery(
  store: ProxyStore,
  keys: readonly string[],
): Promise<'claimed' | 'running' | 'done'> {
  let waited = 0
  for (let pause = 50; ; pause = Math.min(500, pause * 2)) {
    // All keys at once (one round trip to a shared store, not one per key); what this attempt
    // claimed is given back when another attempt holds any of them.
    const states = await Promise.all(keys.map((key) => store.claim(key, RUNNING_TTL_MS)))
    const found = states.includes('done') ? 'done' : states.includes('running') ? 'running' : null
    if (found === null) return 'claimed'
    await Promise.all(
      keys.filter((_, index) => states[index] === 'claimed').map((key) => store.release(key)),
    )
    if (found === 'done' || waited >= WAIT_FOR_RUNNING_MS) return found
    await new Promise((resolve) => setTimeout(resolve, pause))
    waited += pause
  }
}

/**
 * `POST /webhook`: a GROQ webhook delivery from Sanity. Trusted only with a valid signature over
 * the raw body within the replay window. It is answered 2xx only once its work is done: a
 * duplicate of a finished delivery (same `idempotency-key`, on any instance sharing the store)
 * gets 200 `duplicate`; one arriving while an earlier attempt still runs waits for it, and gets
 * 503 if it is still running, so Sanity retries instead of the event being dropped. A delivery
 * whose sync failed for a passing reason (Clerk or Sanity busy, unreachable or behind) is
 * answered 502 and released, so Sanity's retry does the work.
 */
export const webhookRoute: Route = {
  method: 'POST',
  path: PROXY_ROUTES.webhook,
  access: null,
  async handle({request, engine, options, logger}) {
    const secret = options.webhookSecret
    if (!secret) throw notFound('The webhook route is disabled: configure "webhookSecret".')
    const rawBody = await readTextBody(request, options.bodyLimitBytes)
    await verifyWebhookSignature({
      rawBody,
      signature: request.headers.get(SIGNATURE_HEADER_NAME),
      secret,
      toleranceMs: options.webhookToleranceMs,
      now: Date.now(),
    })
    let body: unknown
    try {
      body = JSON.parse(rawBody)
    } catch {
      throw badRequest('invalid_json', 'The webhook body is not valid JSON.')
    }
    const event = parseDocumentEvent(body)
    const store = options.store
    const keys = deliveryKeys(request.headers)
    const claim = await claimDelivery(store, keys).catch(() => {
      // Without the claim, duplicates on other instances could not be told apart: let Sanity retry.
      throw new ProxyHttpError(
        503,
        'store_unavailable',
        'The shared store could not be reached; retry later.',
        {retryAfter: 10},
      )
    })
    if (claim === 'done') {
      return jsonResponse({duplicate: true, results: []} satisfies WebhookResponse)
    }
    if (claim === 'running') {
      throw new ProxyHttpError(
        503,
        'delivery_in_progress',
        'An earlier attempt of this delivery is still running; retry later.',
        {retryAfter: 10},
      )
    }
    // A claim that cannot be given back or marked done expires after RUNNING_TTL_MS; the answer
    // stays the one the work earned (a later duplicate only recomputes the same access).
    const release = () => Promise.all(keys.map((key) => store.release(key))).catch(() => undefined)
    const complete = () =>
      Promise.all(keys.map((key) => store.complete(key, DONE_TTL_MS))).catch((error: unknown) => {
        logger.warn('sanity-plugin-clerk: could not mark a webhook delivery done', error)
      })
    try {
      const found = await subjectsOfDocumentEvent(event, engine, options.rules)
      if (found.ignored !== undefined) {
        await complete()
        return jsonResponse({ignored: found.ignored, results: []} satisfies WebhookResponse)
      }
      const {subjects, revision} = found
      const results =
        subjects.length > 0 ? await engine.syncSubjects(subjects, revision ? {revision} : {}) : []
      const failed = results.filter((result) => result.outcome === 'failed')
      const retryable = failed.filter((result) => PASSING_FAILURES.has(result.error?.code ?? ''))
      if (retryable.length > 0) {
        throw new ProxyHttpError(
          502,
          'sync_failed',
          `Sync failed for ${retryable.map((r) => r.subject).join(', ')}; Sanity will retry.`,
        )
      }
      // A permanent failure (a deleted Clerk user, oversized metadata) would fail again on
      // every retry: report it and let the reconcile and the Studio panel surface it.
      for (const result of failed) {
        logger.warn(
          `webhook ${event.documentId}: ${result.subject} not synced: ${result.error?.message}`,
        )
      }
      logger.info(
        `webhook ${event.documentId}: ${results.map((r) => `${r.subject} ${r.outcome}${r.traceId ? ` (${r.traceId})` : ''}`).join(', ') || 'no subjects'}`,
      )
      await complete()
      return jsonResponse({results} satisfies WebhookResponse)
    } catch (error) {
      await release()
      throw error
    }
  },
}
