import {SIGNATURE_HEADER_NAME} from '@sanity/webhook'

import type {SubjectSyncResult} from '../../core/contract'
import {verifyWebhookSignature} from '../auth/webhook'
import {readTextBody} from '../http/body'
import {badRequest, notFound, ProxyHttpError} from '../http/errors'
import {jsonResponse} from '../http/responses'
import {parseDocumentEvent, subjectsOfDocumentEvent} from './documentEvent'
import type {Route} from './types'

/** How long a handled delivery is remembered: longer than Sanity's retries and the replay window. */
const IDEMPOTENCY_TTL_MS = 60 * 60_000

/** Failures worth Sanity's retry: the upstream was busy or unreachable. */
const RETRYABLE_CODES = new Set([
  'clerk_timeout',
  'clerk_unreachable',
  'clerk_rate_limited',
  'clerk_unavailable',
  'sanity_unavailable',
])

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
 * `POST /webhook`: a GROQ webhook delivery from Sanity. Trusted only with a valid signature over
 * the raw body within the replay window; duplicates (same `idempotency-key`) do nothing. A
 * delivery whose sync failed for a passing reason (Clerk or Sanity busy or unreachable) is
 * answered 502 and forgotten, so Sanity's retry does the work.
 */
export const webhookRoute: Route = {
  method: 'POST',
  path: '/webhook',
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
    const claimed: string[] = []
    const release = async () => {
      for (const key of claimed) await options.idempotencyStore.release(key)
    }
    for (const key of deliveryKeys(request.headers)) {
      if (!(await options.idempotencyStore.claim(key, IDEMPOTENCY_TTL_MS))) {
        await release()
        return jsonResponse({duplicate: true, results: []} satisfies WebhookResponse)
      }
      claimed.push(key)
    }
    try {
      const {subjects, ignored} = await subjectsOfDocumentEvent(event, engine, options.rules)
      if (ignored) return jsonResponse({ignored, results: []} satisfies WebhookResponse)
      const results = subjects.length > 0 ? await engine.syncSubjects(subjects) : []
      const failed = results.filter((result) => result.outcome === 'failed')
      const retryable = failed.filter((result) => RETRYABLE_CODES.has(result.error?.code ?? ''))
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
        `webhook ${event.documentId}: ${results.map((r) => `${r.subject} ${r.outcome}`).join(', ') || 'no subjects'}`,
      )
      return jsonResponse({results} satisfies WebhookResponse)
    } catch (error) {
      await release()
      throw error
    }
  },
}
