/** Signed GROQ-webhook deliveries, as Sanity sends them, for the proxy's `/webhook` route. */
import {randomUUID} from 'node:crypto'

import {encodeSignatureHeader, SIGNATURE_HEADER_NAME} from '@sanity/webhook'

import type {BenchStack} from './stack'

/** An entitlement's change, shaped by the proxy's `DOCUMENT_EVENT_PROJECTION`. */
export interface EntitlementEvent {
  documentId: string
  before: string | null
  after: string | null
}

/** One delivery with its own transaction and idempotency key, signed now. */
export async function webhookDelivery(
  stack: Pick<BenchStack, 'proxyOrigin' | 'webhookSecret'>,
  event: EntitlementEvent,
): Promise<Request> {
  const body = JSON.stringify({
    _id: event.documentId,
    _type: 'clerkEntitlement',
    operation: 'update',
    before: event.before ? {clerkUserId: event.before} : null,
    after: event.after ? {clerkUserId: event.after} : null,
  })
  const transaction = randomUUID()
  return new Request(`${stack.proxyOrigin}/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER_NAME]: await encodeSignatureHeader(body, Date.now(), stack.webhookSecret),
      'sanity-webhook-id': 'bench-webhook',
      'sanity-transaction-id': transaction,
      'sanity-document-id': event.documentId,
      'idempotency-key': `bench-webhook:${transaction}`,
    },
    body,
  })
}
