import {decodeSignatureHeader, SIGNATURE_HEADER_NAME} from '@sanity/webhook'

import {ProxyHttpError} from '../http/errors'

/** How far a webhook signature's timestamp may be from now by default: 5 minutes. */
export const DEFAULT_WEBHOOK_TOLERANCE_MS = 5 * 60_000

export interface WebhookSignatureCheck {
  /** The body exactly as received; a re-serialized body would not match its signature. */
  rawBody: string
  /** The `sanity-webhook-signature` header. */
  signature: string | null
  secret: string
  toleranceMs: number
  now: number
}

const rejected = (code: string, message: string) => new ProxyHttpError(401, code, message)

/**
 * Whether `a` and `b` are equal, in a time that depends on their lengths only, never on where
 * they first differ: so a forger cannot find a signature byte by byte from response times.
 * (`@sanity/webhook` compares with `!==`.)
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    difference |= (a.charCodeAt(index) || 0) ^ (b.charCodeAt(index) || 0)
  }
  return difference === 0
}

// Sanity signs nothing older than this (`@sanity/webhook`'s MINIMUM_TIMESTAMP, 2021-01-01).
const MINIMUM_TIMESTAMP = 1_609_459_200_000
/** Secrets whose imported keys are kept: a proxy has one webhook secret, a test a few. */
const MAX_CACHED_KEYS = 8
const encoder = new TextEncoder()
const hmacKeys = new Map<string, Promise<CryptoKey>>()

/**
 * The HMAC-SHA256 key of `secret`, imported once: importing costs several times what signing a
 * delivery does, and `@sanity/webhook` imports it again on every call.
 */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      {name: 'HMAC', hash: 'SHA-256'},
      false,
      ['sign'],
    )
    hmacKeys.set(secret, key)
    key.catch(() => hmacKeys.delete(secret))
    if (hmacKeys.size > MAX_CACHED_KEYS) hmacKeys.delete(hmacKeys.keys().next().value!)
  }
  return key
}

/**
 * The header Sanity would send for `rawBody` at `timestamp`, exactly as `@sanity/webhook`'s
 * `encodeSignatureHeader` writes it (`t=<ms>,v1=<base64url HMAC-SHA256 of "<ms>.<body>">`);
 * `null` when none can exist (an empty body, a timestamp before 2021, an empty secret).
 */
export async function expectedSignature(
  rawBody: string,
  timestamp: number,
  secret: string,
): Promise<string | null> {
  if (!rawBody || !secret || !(timestamp >= MINIMUM_TIMESTAMP)) return null
  const mac = new Uint8Array(
    await crypto.subtle.sign(
      'HMAC',
      await hmacKey(secret),
      encoder.encode(`${timestamp}.${rawBody}`),
    ),
  )
  const base64 = btoa(String.fromCharCode(...mac))
  return `t=${timestamp},v1=${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`
}

/**
 * Accepts a GROQ webhook delivery only when its signature equals the one `@sanity/webhook`
 * computes over the raw body (compared in constant time, header exactly as Sanity formats it)
 * AND the signed timestamp lies within `toleranceMs` of now, so a captured delivery cannot be
 * replayed later (the package checks no window itself).
 */
export async function verifyWebhookSignature(check: WebhookSignatureCheck): Promise<void> {
  const {rawBody, signature, secret, toleranceMs, now} = check
  if (!signature) {
    throw rejected('missing_signature', `The ${SIGNATURE_HEADER_NAME} header is missing.`)
  }
  let timestamp: number
  try {
    timestamp = decodeSignatureHeader(signature).timestamp
  } catch {
    throw rejected('invalid_signature', `The ${SIGNATURE_HEADER_NAME} header is malformed.`)
  }
  const expected = await expectedSignature(rawBody, timestamp, secret)
  if (expected === null || !constantTimeEqual(signature, expected)) {
    throw rejected('invalid_signature', 'The webhook signature does not match the body and secret.')
  }
  if (Math.abs(now - timestamp) > toleranceMs) {
    throw rejected(
      'signature_expired',
      `The webhook signature is ${Math.round(Math.abs(now - timestamp) / 1000)} s away from now; at most ${toleranceMs / 1000} s is accepted.`,
    )
  }
}
