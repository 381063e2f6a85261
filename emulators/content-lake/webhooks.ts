/**
 * GROQ-powered webhooks delivered the way Sanity does: one signed request per matching document
 * per transaction, at least once, retried on 429/5xx, network errors and timeouts (twice, 30 s
 * apart, as Sanity's changelog of 2026-04-29 states). A timed-out attempt is abandoned, not
 * cancelled at the receiver, so its retry can overlap it there, as in production. Knobs let
 * reliability tests duplicate, delay, hold and reorder deliveries.
 */
import {createHash, createHmac} from 'node:crypto'

import {badRequest} from './errors'
import {compileSubscription, type Firing} from './subscriptions'
import type {DocumentChange, LakeTransaction, WebhookConfig} from './types'

export interface WebhookTimings {
  /** Pause between attempts after a 429/5xx, network error or timeout (default 30 000 ms). */
  retryDelayMs?: number
  /** Retries after the first attempt (default 2). */
  maxRetries?: number
  /**
   * Per-attempt timeout (default 10 000 ms: an assumption, Sanity does not document it). The
   * lake stops waiting and retries; the receiver may still be working on the abandoned attempt.
   */
  timeoutMs?: number
}

/** Sanity's documented retry policy (changelog 2026-04-29) and the assumed timeout. */
export const SANITY_WEBHOOK_TIMINGS: Required<WebhookTimings> = {
  retryDelayMs: 30_000,
  maxRetries: 2,
  timeoutMs: 10_000,
}

/** Checks timings from the admin API: each one given is a number ≥ 0. */
export function validateWebhookTimings(body: unknown): WebhookTimings {
  const timings = (body ?? {}) as Record<string, unknown>
  for (const name of Object.keys(timings)) {
    const value = timings[name]
    if (!(name in SANITY_WEBHOOK_TIMINGS)) throw badRequest(`Unknown webhook timing "${name}"`)
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw badRequest(`Webhook timing "${name}" must be a number ≥ 0`)
    }
  }
  return timings as WebhookTimings
}

/** Fault knobs for reliability tests; change them any time with `configure`. */
export interface WebhookKnobs {
  /** Extra copies of every delivery (same idempotency key), default 0. */
  duplicate?: number
  /** Wait before the first attempt, default 0. */
  delayMs?: number
  /** Keep deliveries until `release()` (e.g. `release('reverse')` to reorder). */
  hold?: boolean
}

export interface DeliveryAttempt {
  webhook: string
  documentId: string
  transactionId: string
  operation: string
  idempotencyKey: string
  attempt: number
  /** HTTP status, or 0 for a network error/timeout. */
  status: number
  /** The lake gave up waiting (`timeoutMs`); the receiver may still be running this attempt. */
  timedOut: boolean
  error?: string
  /** When the attempt started (ISO). */
  time: string
  /** How long the lake waited for an answer. */
  durationMs: number
}

interface Delivery {
  webhook: WebhookConfig
  change: DocumentChange
  transaction: LakeTransaction
  firing: Firing
}

/**
 * `sanity-webhook-signature`, as `@sanity/webhook` verifies it: `t=<ms>,v1=<base64url
 * HMAC-SHA256(secret, "<t>.<body>")>`.
 */
export function signWebhookPayload(body: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('base64url')
  return `t=${timestamp},v1=${signature}`
}

const RETRYABLE = (status: number) => status === 429 || status >= 500 || status === 0

export class WebhookDispatcher {
  readonly attempts: DeliveryAttempt[] = []
  private readonly hooks = new Map<
    string,
    {config: WebhookConfig; fires: (change: DocumentChange) => Promise<Firing | null>}
  >()
  private readonly scope: {projectId: string; dataset: string}
  private timings: Required<WebhookTimings>
  private knobs: WebhookKnobs = {}
  private held: Delivery[] = []
  private readonly pending = new Set<Promise<void>>()
  private readonly timers = new Set<{timer: NodeJS.Timeout; resolve: () => void}>()
  private closed = false

  constructor(scope: {projectId: string; dataset: string}, timings: WebhookTimings = {}) {
    this.scope = scope
    this.timings = {...SANITY_WEBHOOK_TIMINGS, ...timings}
  }

  /** Changes the timings of attempts that start from now on (tests shorten Sanity's). */
  setTimings(timings: WebhookTimings): void {
    this.timings = {...SANITY_WEBHOOK_TIMINGS, ...timings}
  }

  /** The timings in force. */
  get currentTimings(): Required<WebhookTimings> {
    return {...this.timings}
  }

  add(config: WebhookConfig): void {
    if (!config.name || !config.url) throw new Error('content-lake: a webhook needs a name and url')
    this.hooks.set(config.name, {config, fires: compileSubscription(config, this.scope)})
  }

  remove(name: string): void {
    this.hooks.delete(name)
  }

  configure(knobs: WebhookKnobs): void {
    this.knobs = {...knobs}
  }

  /** Finds the deliveries a committed transaction causes and starts (or holds) them. */
  handle(transaction: LakeTransaction): void {
    if (this.hooks.size === 0) return
    this.track(this.collect(transaction))
  }

  /** Sends held deliveries, in commit order or reversed (out-of-order delivery). */
  release(order: 'fifo' | 'reverse' = 'fifo'): void {
    const batch = order === 'reverse' ? [...this.held].reverse() : this.held
    this.held = []
    for (const delivery of batch) this.track(this.deliver(delivery, this.knobs))
  }

  /** Resolves once nothing is in flight or waiting to retry (held deliveries excluded). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }

  close(): void {
    this.closed = true
    for (const {timer, resolve} of this.timers) {
      clearTimeout(timer)
      resolve()
    }
    this.timers.clear()
    this.held = []
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => console.error('content-lake: webhook delivery failed', error))
      .finally(() => this.pending.delete(tracked))
    this.pending.add(tracked)
  }

  private async collect(transaction: LakeTransaction): Promise<void> {
    const knobs = this.knobs
    for (const change of transaction.changes) {
      for (const {config, fires} of this.hooks.values()) {
        const firing = await fires(change)
        if (!firing) continue
        const delivery = {webhook: config, change, transaction, firing}
        const copies = 1 + Math.max(0, knobs.duplicate ?? 0)
        for (let copy = 0; copy < copies; copy++) {
          if (knobs.hold) this.held.push(delivery)
          else this.track(this.deliver(delivery, knobs))
        }
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry)
          resolve()
        }, ms),
        resolve,
      }
      this.timers.add(entry)
    })
  }

  private async deliver(delivery: Delivery, knobs: WebhookKnobs): Promise<void> {
    await this.sleep(knobs.delayMs ?? 0)
    for (let attempt = 1; attempt <= 1 + this.timings.maxRetries && !this.closed; attempt++) {
      if (attempt > 1) await this.sleep(this.timings.retryDelayMs)
      if (this.closed) return
      const status = await this.attempt(delivery, attempt)
      if (!RETRYABLE(status)) return
    }
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<number> {
    const {webhook, change, transaction, firing} = delivery
    const webhookId = `wh-${this.scope.projectId}-${webhook.name}`
    const idempotencyKey = createHash('sha256')
      .update(`${webhookId}\n${transaction.id}\n${change.id}`)
      .digest('hex')
      .slice(0, 40)
    const body = JSON.stringify(firing.data ?? null)
    const method = webhook.httpMethod ?? 'POST'
    const headers: Record<string, string> = {
      ...webhook.headers,
      'content-type': 'application/json',
      'sanity-webhook-id': webhookId,
      'sanity-transaction-id': transaction.id,
      'sanity-transaction-time': transaction.timestamp,
      'sanity-document-id': change.id,
      'sanity-operation': firing.operation,
      'sanity-project-id': this.scope.projectId,
      'sanity-dataset': this.scope.dataset,
      'idempotency-key': idempotencyKey,
      'user-agent': 'Sanity.io webhook delivery (local Content Lake)',
    }
    if (webhook.secret) {
      headers['sanity-webhook-signature'] = signWebhookPayload(body, webhook.secret, Date.now())
    }
    const record: DeliveryAttempt = {
      webhook: webhook.name,
      documentId: change.id,
      transactionId: transaction.id,
      operation: firing.operation,
      idempotencyKey,
      attempt,
      status: 0,
      timedOut: false,
      time: new Date().toISOString(),
      durationMs: 0,
    }
    const started = performance.now()
    try {
      const response = await fetch(webhook.url, {
        method,
        headers,
        // fetch cannot send a body with GET; Sanity's GET deliveries are rare enough to drop it.
        ...(method === 'GET' ? {} : {body}),
        signal: AbortSignal.timeout(this.timings.timeoutMs),
      })
      await response.arrayBuffer().catch(() => undefined)
      record.status = response.status
    } catch (error) {
      record.timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      record.error = error instanceof Error ? error.message : String(error)
    }
    record.durationMs = Math.round(performance.now() - started)
    this.attempts.push(record)
    return record.status
  }
}
