import {decodeSignatureHeader, encodeSignatureHeader, SIGNATURE_HEADER_NAME} from '@sanity/webhook'

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
  const left = new TextEncoder().encode(a)
  const right = new TextEncoder().encode(b)
  let difference = left.length ^ right.length
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0)
  }
  return difference === 0
}

/** The header Sanity would send for `rawBody` at `timestamp`; `null` when none can exist. */
async function expectedSignature(rawBody: string, timestamp: number, secret: string) {
  try {
    return await encodeSignatureHeader(rawBody, timestamp, secret)
  } catch {
    // An empty body or a timestamp before 2021 has no valid signature.
    return null
  }
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
