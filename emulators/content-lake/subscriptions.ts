/**
 * What webhooks and Functions share: deciding, for one document change, whether a subscription
 * fires (operation, drafts, delta-GROQ filter) and what it receives (the projection).
 */
import {compileDelta, isDraftId, isVersionId} from './groq'
import type {DocumentChange, WebhookOperation} from './types'

export interface SubscriptionSpec {
  filter?: string
  projection?: string
  on: WebhookOperation[]
  includeDrafts?: boolean
}

export interface Firing {
  operation: WebhookOperation
  data: unknown
}

export function operationOf(change: DocumentChange): WebhookOperation {
  if (!change.before) return 'create'
  if (!change.after) return 'delete'
  return 'update'
}

/** Compiles the spec once (bad GROQ fails at registration, not at delivery). */
export function compileSubscription(
  spec: SubscriptionSpec,
  scope: {projectId: string; dataset: string},
): (change: DocumentChange) => Promise<Firing | null> {
  const filter = spec.filter?.trim() ? compileDelta(spec.filter, scope) : null
  const projection = spec.projection?.trim() ? compileDelta(spec.projection, scope) : null
  return async (change) => {
    const operation = operationOf(change)
    if (!spec.on.includes(operation)) return null
    if (!spec.includeDrafts && (isDraftId(change.id) || isVersionId(change.id))) return null
    if (filter && (await filter.evaluate(change.before, change.after)) !== true) return null
    const data = projection
      ? await projection.evaluate(change.before, change.after)
      : (change.after ?? change.before)
    return {operation, data}
  }
}
