/**
 * A subject's access history: who granted or revoked what, when, through which entitlement,
 * read from the Content Lake's document history (the transactions and revision endpoints the
 * Studio's own "Review changes" uses). Nothing is written to the dataset to keep it.
 */
import type {SanityClient, SanityDocument} from 'sanity'

import {
  computeAccess,
  describeAccessChange,
  grantSlugProjection,
  isNoChange,
  type AccessChange,
  type AccessRules,
  type SubjectId,
} from '../../core/access'
import {labelsFor} from '../actions/accessOutcome'
import {
  referencedIdsOf,
  referencedLookup,
  toEntitlementInput,
  type EntitlementDraft,
  type ReferencedDocument,
} from '../schema/entitlementValidation'

/** One change to what one entitlement granted the subject. */
export interface AccessHistoryEntry {
  transactionId: string
  timestamp: string
  /** Sanity user id of whoever committed the change. */
  author: string
  authorName: string | null
  entitlementId: string
  entitlementTitle: string | null
  /** What this entitlement granted the subject before vs after (gained = granted). */
  change: AccessChange
}

/** {@link loadAccessHistory}'s answer, newest first. */
export interface AccessHistory {
  entries: AccessHistoryEntry[]
  /** `<metadata key>:<value>` → title. */
  labels: Record<string, string>
}

interface HistoryTransaction {
  id: string
  timestamp: string
  author: string
  documentIDs: string[]
}

function parseNdjson<T>(text: unknown): T[] {
  return String(text ?? '')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T)
}

function titleOf(document: SanityDocument | null): string | null {
  const title = document?.title
  return typeof title === 'string' && title ? title : null
}

async function documentAt(
  client: SanityClient,
  dataset: string,
  id: string,
  at: {revision: string} | {time: string},
): Promise<SanityDocument | null> {
  const query = 'revision' in at ? `revision=${at.revision}` : `time=${encodeURIComponent(at.time)}`
  const answer = await client.request<{documents?: SanityDocument[]}>({
    url: `/data/history/${dataset}/documents/${id}?${query}`,
  })
  return answer.documents?.[0] ?? null
}

async function authorNames(client: SanityClient, ids: string[]): Promise<Record<string, string>> {
  if (!ids.length) return {}
  const answer = await client.request<unknown>({url: `/users/${ids.join(',')}`}).catch(() => [])
  const users = (Array.isArray(answer) ? answer : [answer]) as Array<{
    id?: string
    displayName?: string
    name?: string
  }>
  const names: Record<string, string> = {}
  for (const user of users) {
    const name = user?.displayName || user?.name
    if (user?.id && name) names[user.id] = name
  }
  return names
}

/**
 * The grant history of `subject` through the given (published) entitlements, newest first, at
 * most `limit` transactions. Each transaction that changed what an entitlement granted the
 * subject becomes one entry; edits that changed nothing for the subject (a title, notes) are
 * left out. A reassigned entitlement shows as a revoke for one subject and a grant for the other.
 */
export async function loadAccessHistory(
  client: SanityClient,
  rules: AccessRules,
  {
    subject,
    entitlementIds,
    limit = 50,
  }: {subject: SubjectId; entitlementIds: string[]; limit?: number},
): Promise<AccessHistory> {
  const ids = [...new Set(entitlementIds)].filter((id) => !id.startsWith('drafts.'))
  if (!ids.length) return {entries: [], labels: {}}
  const dataset = client.config().dataset!
  const text = await client.request<string>({
    url: `/data/history/${dataset}/transactions/${ids.join(',')}?excludeContent=true&reverse=true&limit=${limit}`,
    json: false,
  })
  const transactions = parseNdjson<HistoryTransaction>(text).reverse()
  // Each touched document's state after every transaction, and before the oldest one listed.
  const steps: Array<{transaction: HistoryTransaction; id: string; after: SanityDocument | null}> =
    []
  const before = new Map<string, SanityDocument | null>()
  for (const transaction of transactions) {
    for (const id of transaction.documentIDs.filter((d) => ids.includes(d))) {
      if (!before.has(id)) {
        const previous = new Date(Date.parse(transaction.timestamp) - 1).toISOString()
        before.set(id, await documentAt(client, dataset, id, {time: previous}))
      }
      steps.push({
        transaction,
        id,
        after: await documentAt(client, dataset, id, {revision: transaction.id}),
      })
    }
  }
  const all = [...before.values(), ...steps.map((s) => s.after)].filter(
    (d): d is SanityDocument => !!d,
  )
  const referencedIds = [...new Set(all.flatMap((d) => referencedIdsOf(d as EntitlementDraft)))]
  const referenced = await client.fetch<ReferencedDocument[]>(
    `*[_id in $referencedIds]{_id, _type, key, rank, "slug": ${grantSlugProjection(rules)}}`,
    {referencedIds},
    {perspective: 'published'},
  )
  const lookup = referencedLookup(referenced)
  const grantedBy = (document: SanityDocument | null, id: string, at: Date) =>
    document
      ? computeAccess([toEntitlementInput(document as EntitlementDraft, id, lookup)], rules, {
          now: at,
          subject,
        }).metadata
      : {}
  const entries: AccessHistoryEntry[] = []
  for (const {transaction, id, after} of steps) {
    const previous = before.get(id) ?? null
    before.set(id, after)
    const at = new Date(transaction.timestamp)
    const change = describeAccessChange(
      subject,
      grantedBy(previous, id, at),
      grantedBy(after, id, at),
    )
    if (isNoChange(change)) continue
    entries.push({
      transactionId: transaction.id,
      timestamp: transaction.timestamp,
      author: transaction.author,
      authorName: null,
      entitlementId: id,
      entitlementTitle: titleOf(after) ?? titleOf(previous),
      change,
    })
  }
  const names = await authorNames(client, [...new Set(entries.map((e) => e.author))])
  for (const entry of entries) entry.authorName = names[entry.author] ?? null
  const labels = await labelsFor(
    client,
    rules,
    entries.map((e) => e.change),
  )
  return {entries: entries.reverse(), labels}
}
