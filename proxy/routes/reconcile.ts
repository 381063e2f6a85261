import {PROXY_ROUTES, type ReconcileEvent, type ReconcileRequest} from '../../core/contract'
import {isJsonObject, readJsonBody} from '../http/body'
import {badRequest, ProxyHttpError, unprocessable} from '../http/errors'
import {ndjsonResponse} from '../http/responses'
import type {ProxyEngine} from './engine'
import type {Route} from './types'
import {toProxyHttpError} from '../http/upstream'
import {keepLeases} from '../sync/leases'

const RECONCILE_BODY_LIMIT_BYTES = 1024
const KINDS = ['user', 'organization'] as const

/** Validates a `ReconcileRequest`: `dryRun` is required, so nothing is written by accident. */
export function parseReconcileRequest(body: unknown): ReconcileRequest {
  if (!isJsonObject(body)) throw badRequest('invalid_request', 'The body must be a JSON object.')
  if (typeof body.dryRun !== 'boolean') {
    throw unprocessable('invalid_request', '"dryRun" is required: true to preview, false to write.')
  }
  if (body.kinds === undefined) return {dryRun: body.dryRun}
  if (
    !Array.isArray(body.kinds) ||
    body.kinds.length === 0 ||
    !body.kinds.every((k) => KINDS.includes(k))
  ) {
    throw unprocessable(
      'invalid_request',
      '"kinds" must be a non-empty array of "user" and "organization".',
    )
  }
  return {dryRun: body.dryRun, kinds: [...new Set(body.kinds as ReconcileRequest['kinds'] & {})]}
}

/**
 * NDJSON bytes of the engine's reconcile events, pulled one at a time (backpressure: a slow
 * reader slows the reconcile). Cancelling the stream (the client went away) aborts the run. A
 * failure mid-run becomes a final `error` event, since the status line is already sent.
 */
export function reconcileStream(
  engine: ProxyEngine,
  request: ReconcileRequest,
  onFinish: () => void,
): ReadableStream<Uint8Array> {
  const abort = new AbortController()
  const events = engine.reconcile({...request, signal: abort.signal})[Symbol.asyncIterator]()
  const encoder = new TextEncoder()
  let finished = false
  const finish = () => {
    if (!finished) {
      finished = true
      onFinish()
    }
  }
  const line = (event: ReconcileEvent) => encoder.encode(`${JSON.stringify(event)}\n`)
  let cancelled = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await events.next()
        if (cancelled) return
        if (next.done) {
          finish()
          controller.close()
        } else {
          controller.enqueue(line(next.value))
        }
      } catch (error) {
        finish()
        if (cancelled) return
        controller.enqueue(line({type: 'error', error: toProxyHttpError(error).toBody().error}))
        controller.close()
      }
    },
    async cancel() {
      cancelled = true
      abort.abort()
      finish()
      await events.return?.()
    },
  })
}

/** The reconcile lock's lease: renewed while a run streams, so a crashed instance frees it soon. */
const RECONCILE_LEASE_MS = 60_000

/**
 * `POST /reconcile`: compares every Clerk user and organization with Sanity and (unless dry run)
 * writes the drifted ones, streaming `ReconcileEvent`s as NDJSON. One run at a time across every
 * instance sharing the store (a lease in it): another is refused with 429.
 */
export const reconcileRoute: Route = {
  method: 'POST',
  path: PROXY_ROUTES.reconcile,
  access: 'reconcile',
  async handle({request, engine, options}) {
    const body = parseReconcileRequest(
      await readJsonBody(request, Math.min(RECONCILE_BODY_LIMIT_BYTES, options.bodyLimitBytes)),
    )
    const lease = await options.store.acquireLease('reconcile', RECONCILE_LEASE_MS)
    if (!lease) {
      throw new ProxyHttpError(
        429,
        'reconcile_running',
        'A reconcile is already running; wait for it to finish.',
        {retryAfter: 10},
      )
    }
    const stopRenewing = keepLeases(options.store, [lease], RECONCILE_LEASE_MS)
    return ndjsonResponse(
      reconcileStream(engine, body, () => {
        stopRenewing()
        void options.store.releaseLease(lease).catch(() => undefined)
      }),
    )
  },
}
