import {decodeSignatureHeader, isValidSignature, SIGNATURE_HEADER_NAME} from '@sanity/webhook'

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
 * Accepts a GROQ webhook delivery only when `@sanity/webhook` confirms its signature over the raw
 * body AND the signed timestamp lies within `toleranceMs` of now, so a captured delivery cannot
 * be replayed later (the package checks no window itself).
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
  if (!(await isValidSignature(rawBody, signature, secret))) {
    throw rejected('invalid_signature', 'The webhook signature does not match the body and secret.')
  }
  if (Math.abs(now - timestamp) > toleranceMs) {
    throw rejected(
      'signature_expired',
      `The webhook signature is ${Math.round(Math.abs(now - timestamp) / 1000)} s away from now; at most ${toleranceMs / 1000} s is accepted.`,
    )
  }
}
