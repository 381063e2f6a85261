/**
 * Clerk's outbound webhooks, delivered the way Svix does for Clerk: one signed POST per event
 * (Standard Webhooks scheme: `svix-id`, `svix-timestamp` in seconds, `svix-signature` =
 * `v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`), retried on any non-2xx answer,
 * network error or timeout with the same `svix-id`, on Svix's schedule unless tests shorten it.
 * The fault knobs match the Content Lake's webhooks: duplicate, delay, hold and reorder.
 */
import {createHmac, randomBytes} from 'node:crypto'
import type {ClerkEvent, ClerkEventType} from './events'
import {mintId, type RandomSource} from './random'

export interface ClerkWebhookEndpoint {
  url: string
  /** `whsec_<base64 key>`, as the Dashboard shows it. */
  secret: string
  /** Event types to send; all when absent. */
  events?: ClerkEventType[]
}

export interface ClerkWebhookTimings {
  /** Waits before each retry (Svix: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  retryDelaysMs?: number[]
  /** Per-attempt timeout (Svix: 15 s). */
  timeoutMs?: number
}

export const SVIX_TIMINGS: Required<ClerkWebhookTimings> = {
  retryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
  timeoutMs: 15_000,
}

/** Fault knobs for reliability tests, as on the lake's webhooks. */
export interface ClerkWebhookKnobs {
  /** Extra copies of every delivery (same `svix-id`), default 0. */
  duplicate?: number
  /** Wait before the first attempt, default 0. */
  delayMs?: number
  /** Keep deliveries until `release()` (e.g. `release('reverse')` to reorder). */
  hold?: boolean
}

export interface ClerkDeliveryAttempt {
  svixId: string
  type: ClerkEventType
  attempt: number
  /** HTTP status, or 0 for a network error or timeout. */
  status: number
  error?: string
  /** When the attempt started (epoch ms). */
  time: number
}

/** The JSON body Clerk posts: the event envelope around the resource. */
export interface ClerkEventEnvelope {
  data: ClerkEvent['data']
  event_attributes: {http_request: {client_ip: string; user_agent: string}}
  instance_id: string
  object: 'event'
  timestamp: number
  type: ClerkEventType
}

interface Delivery {
  svixId: string
  type: ClerkEventType
  body: string
}

/** A fresh signing secret in the Dashboard's format. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

/** `svix-signature` for one attempt (Standard Webhooks `v1`). */
export function signSvix(secret: string, svixId: string, timestampSeconds: number, body: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const mac = createHmac('sha256', key).update(`${svixId}.${timestampSeconds}.${body}`)
  return `v1,${mac.digest('base64')}`
}

const INSTANCE_ID = 'ins_emulator'

export class ClerkWebhookDispatcher {
  readonly attempts: ClerkDeliveryAttempt[] = []
  #endpoint: ClerkWebhookEndpoint | undefined
  #timings = SVIX_TIMINGS
  #knobs: ClerkWebhookKnobs = {}
  #held: Delivery[] = []
  readonly #pending = new Set<Promise<void>>()
  readonly #timers = new Set<{timer: NodeJS.Timeout; resolve: () => void}>()
  readonly #random: RandomSource
  readonly #now: () => number
  #closed = false

  constructor(random: RandomSource, now: () => number = Date.now) {
    this.#random = random
    this.#now = now
  }

  get endpoint(): ClerkWebhookEndpoint | undefined {
    return this.#endpoint
  }

  /** Sets (or with `undefined` removes) the one endpoint events go to. */
  setEndpoint(endpoint: ClerkWebhookEndpoint | undefined): void {
    if (endpoint && !/^https?:\/\//.test(endpoint.url)) {
      throw new Error('the webhook url must be http(s)')
    }
    if (endpoint && !/^whsec_[A-Za-z0-9+/=]{16,}$/.test(endpoint.secret)) {
      throw new Error('the webhook secret must look like whsec_<base64>')
    }
    this.#endpoint = endpoint
  }

  setTimings(timings: ClerkWebhookTimings): void {
    this.#timings = {...SVIX_TIMINGS, ...timings}
  }

  configure(knobs: ClerkWebhookKnobs): void {
    this.#knobs = {...knobs}
  }

  /** Queues one event for the endpoint, if there is one and it wants the type. */
  send(event: ClerkEvent): void {
    const endpoint = this.#endpoint
    if (!endpoint || this.#closed) return
    if (endpoint.events && !endpoint.events.includes(event.type)) return
    const envelope: ClerkEventEnvelope = {
      data: event.data,
      event_attributes: {http_request: {client_ip: '127.0.0.1', user_agent: 'clerk-emulator'}},
      instance_id: INSTANCE_ID,
      object: 'event',
      timestamp: this.#now(),
      type: event.type,
    }
    const delivery = {
      svixId: mintId('msg', this.#random),
      type: event.type,
      body: JSON.stringify(envelope),
    }
    const knobs = this.#knobs
    for (let copy = 0; copy <= Math.max(0, knobs.duplicate ?? 0); copy++) {
      if (knobs.hold) this.#held.push(delivery)
      else this.#track(this.#deliver(delivery, endpoint, knobs))
    }
  }

  /** Sends held deliveries, in event order or reversed (out-of-order delivery). */
  release(order: 'fifo' | 'reverse' = 'fifo'): void {
    const endpoint = this.#endpoint
    const batch = order === 'reverse' ? [...this.#held].reverse() : this.#held
    this.#held = []
    if (!endpoint) return
    for (const delivery of batch) this.#track(this.#deliver(delivery, endpoint, this.#knobs))
  }

  /** Resolves once nothing is in flight or waiting to retry (held deliveries excluded). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending])
  }

  /** Drops the endpoint, held deliveries, knobs and attempts; waiting retries end. */
  reset(): void {
    this.#endpoint = undefined
    this.#knobs = {}
    this.#timings = SVIX_TIMINGS
    this.#held = []
    this.attempts.length = 0
    this.#stopTimers()
  }

  close(): void {
    this.#closed = true
    this.reset()
  }

  #stopTimers(): void {
    for (const {timer, resolve} of this.#timers) {
      clearTimeout(timer)
      resolve()
    }
    this.#timers.clear()
  }

  #track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => console.error('clerk emulator: webhook delivery failed', error))
      .finally(() => this.#pending.delete(tracked))
    this.#pending.add(tracked)
  }

  #sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#timers.delete(entry)
          resolve(true)
        }, ms),
        resolve: () => resolve(false),
      }
      this.#timers.add(entry)
    })
  }

  async #deliver(delivery: Delivery, endpoint: ClerkWebhookEndpoint, knobs: ClerkWebhookKnobs) {
    if (!(await this.#sleep(knobs.delayMs ?? 0))) return
    const delays = this.#timings.retryDelaysMs
    for (let attempt = 1; attempt <= 1 + delays.length; attempt++) {
      if (attempt > 1 && !(await this.#sleep(delays[attempt - 2] as number))) return
      if (this.#closed || this.#endpoint !== endpoint) return
      const status = await this.#attempt(delivery, endpoint, attempt)
      if (status >= 200 && status < 300) return
    }
  }

  async #attempt(delivery: Delivery, endpoint: ClerkWebhookEndpoint, attempt: number) {
    const time = this.#now()
    const timestamp = Math.floor(time / 1000)
    const record: ClerkDeliveryAttempt = {
      svixId: delivery.svixId,
      type: delivery.type,
      attempt,
      status: 0,
      time,
    }
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Svix-Webhooks/1.0 (clerk emulator)',
          'svix-id': delivery.svixId,
          'svix-timestamp': String(timestamp),
          'svix-signature': signSvix(endpoint.secret, delivery.svixId, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.#timings.timeoutMs),
      })
      await response.arrayBuffer().catch(() => undefined)
      record.status = response.status
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error)
    }
    this.attempts.push(record)
    return record.status
  }
}
