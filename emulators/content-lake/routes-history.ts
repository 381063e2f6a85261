/**
 * The document history API the Studio's "Review changes" and the plugin's access history read,
 * answered from the store's transaction log and revision snapshots:
 *
 * - `GET /data/history/<ds>/transactions/<ids>`: NDJSON, one transaction per line, oldest first
 *   (`reverse=true`: newest first); `fromTransaction`/`toTransaction` and `fromTime`/`toTime`
 *   bound it (inclusive), `authors` filters by committer, `limit` caps it, `excludeContent`
 *   drops the mutations, `excludeMutations` too; `effects` (apply/revert, in mendoza's
 *   "replace with this value" form) are always included.
 * - `GET /data/history/<ds>/documents/<ids>?revision=<rev>` or `?time=<ISO>`: `{documents}`, each
 *   document as it was at that revision or moment (missing ones are left out).
 * - `GET /data/history/<ds>/events/documents/<id>`: the events API: `{events: {<id>: [...]},
 *   nextCursor: ''}`, the document group's lifecycle events newest first (created as a draft,
 *   published, unpublished, draft discarded, deleted; created or updated without a draft), as the
 *   Studio's History panel and "Review changes" read them. Edits within a draft are not events:
 *   the Studio builds those from the transactions after the draft's creation.
 */
import {apiError} from './errors'
import {booleanParam, type LakeRequest, type Reply} from './http'
import type {LakeCore} from './core'
import type {LakeDocument, LakeTransaction} from './types'

const HISTORY_ROUTE = /^\/data\/history\/([^/]+)\/(transactions|documents|events)\/(.+)$/

function ids(list: string): Set<string> {
  return new Set(decodeURIComponent(list).split(',').filter(Boolean))
}

function timeParam(url: URL, name: string): number | null {
  const value = url.searchParams.get(name)
  if (value === null || value === '') return null
  const time = Date.parse(value)
  if (Number.isNaN(time)) throw apiError(400, 'badRequest', `"${name}" is not a date: ${value}`)
  return time
}

function limitParam(url: URL): number | null {
  const value = url.searchParams.get('limit')
  if (value === null || value === '') return null
  const limit = Number(value)
  if (!Number.isInteger(limit) || limit < 1) {
    throw apiError(400, 'badRequest', `"limit" must be a positive integer, got ${value}`)
  }
  return limit
}

/** The log from `fromTransaction` to `toTransaction` (inclusive), unknown ids being an error. */
function boundedByTransaction(log: readonly LakeTransaction[], url: URL): LakeTransaction[] {
  const index = (name: string, fallback: number) => {
    const id = url.searchParams.get(name)
    if (!id) return fallback
    const found = log.findIndex((transaction) => transaction.id === id)
    if (found < 0) throw apiError(404, 'notFound', `Transaction "${id}" not found`)
    return found
  }
  return log.slice(index('fromTransaction', 0), index('toTransaction', log.length - 1) + 1)
}

function transactions(core: LakeCore, request: LakeRequest, list: string): Reply {
  const {url} = request
  const wanted = ids(list)
  const from = timeParam(url, 'fromTime')
  const to = timeParam(url, 'toTime')
  const authors = new Set(url.searchParams.get('authors')?.split(',').filter(Boolean) ?? [])
  const excludeContent =
    booleanParam(url, 'excludeContent', false) || booleanParam(url, 'excludeMutations', false)
  let selected = boundedByTransaction(core.store.transactions(), url).filter((transaction) => {
    const time = Date.parse(transaction.timestamp)
    return (
      transaction.changes.some((change) => wanted.has(change.id)) &&
      (from === null || time >= from) &&
      (to === null || time <= to) &&
      (authors.size === 0 || authors.has(transaction.identity))
    )
  })
  if (booleanParam(url, 'reverse', false)) selected = selected.reverse()
  const limit = limitParam(url)
  if (limit !== null) selected = selected.slice(0, limit)
  const lines = selected.map((transaction) => {
    const changes = transaction.changes.filter((change) => wanted.has(change.id))
    return JSON.stringify({
      id: transaction.id,
      timestamp: transaction.timestamp,
      author: transaction.identity,
      documentIDs: changes.map((change) => change.id),
      ...(excludeContent ? {} : {mutations: changes.flatMap((change) => change.mutations)}),
      effects: Object.fromEntries(
        changes.map((change) => [
          change.id,
          {apply: [0, change.after], revert: [0, change.before]},
        ]),
      ),
    })
  })
  return {text: lines.map((line) => `${line}\n`).join(''), contentType: 'application/x-ndjson'}
}

/** The document as the last transaction at or before `time` left it (null: gone or not yet). */
function atTime(core: LakeCore, id: string, time: number): LakeDocument | null {
  let state: LakeDocument | null = null
  for (const transaction of core.store.transactions()) {
    if (Date.parse(transaction.timestamp) > time) break
    const change = transaction.changes.find((c) => c.id === id)
    if (change) state = change.after
  }
  return state
}

function documents(core: LakeCore, request: LakeRequest, list: string): Reply {
  const {url} = request
  const revision = url.searchParams.get('revision')
  const time = timeParam(url, 'time')
  const found = [...ids(list)].flatMap((id) => {
    if (revision) return core.store.revision(id, revision) ?? []
    if (time !== null) return atTime(core, id, time) ?? []
    return core.store.get(id) ?? []
  })
  return {body: {documents: found}}
}

/** One event of the events API, before the Studio gives it an id. */
type DocumentEvent = {type: string; timestamp: string; author: string; documentId: string} & Record<
  string,
  unknown
>

/**
 * The lifecycle event a transaction was for the group of `publishedId` and its draft, or null
 * for an edit inside a draft (the Studio derives those from the transactions).
 */
function lifecycleEvent(
  transaction: LakeTransaction,
  publishedId: string,
  variant: 'draft' | 'published',
): DocumentEvent | null {
  const draftId = `drafts.${publishedId}`
  const published = transaction.changes.find((change) => change.id === publishedId)
  const draft = transaction.changes.find((change) => change.id === draftId)
  const base = {
    timestamp: transaction.timestamp,
    author: transaction.identity,
    documentId: publishedId,
    documentVariantType: variant,
  }
  const {_rev: draftRevision = transaction.id} = draft?.before ?? {}
  if (published && !published.after) {
    return draft?.after
      ? {...base, type: 'unpublishDocument', versionId: draftId, versionRevisionId: transaction.id}
      : {...base, type: 'deleteDocumentGroup'}
  }
  if (published?.after && draft && !draft.after) {
    return {
      ...base,
      type: 'publishDocumentVersion',
      revisionId: transaction.id,
      versionId: draftId,
      versionRevisionId: draftRevision,
      publishCause: 'document.publish',
    }
  }
  if (published?.after) {
    const type = published.before ? 'updateLiveDocument' : 'createLiveDocument'
    return {...base, type, revisionId: transaction.id}
  }
  if (draft?.after && !draft.before) {
    return {
      ...base,
      type: 'createDocumentVersion',
      versionId: draftId,
      versionRevisionId: transaction.id,
    }
  }
  if (draft && !draft.after) {
    return {
      ...base,
      type: 'deleteDocumentVersion',
      versionId: draftId,
      versionRevisionId: draftRevision,
    }
  }
  return null
}

function events(core: LakeCore, request: LakeRequest, documentId: string): Reply {
  const id = decodeURIComponent(documentId)
  const publishedId = id.replace(/^drafts\./, '')
  const variant = id === publishedId ? 'published' : 'draft'
  const found = core.store
    .transactions()
    .map((transaction) => lifecycleEvent(transaction, publishedId, variant))
    .filter((event): event is DocumentEvent => event !== null)
    .reverse()
  const limit = limitParam(request.url)
  return {
    body: {events: {[id]: limit === null ? found : found.slice(0, limit)}, nextCursor: ''},
  }
}

/** Handles `/data/history/*`; returns undefined for any other route. */
export function historyRoute(core: LakeCore, request: LakeRequest): Reply | undefined {
  const match = HISTORY_ROUTE.exec(request.route)
  if (!match) return undefined
  const [, dataset, kind, rest] = match as unknown as [string, string, string, string]
  if (dataset !== core.dataset) {
    throw apiError(404, 'notFound', `Dataset "${dataset}" not found in project ${core.projectId}`)
  }
  if (request.method !== 'GET') throw apiError(405, 'httpMethodNotAllowed', 'Use GET')
  if (kind === 'transactions') return transactions(core, request, rest)
  if (kind === 'documents') return documents(core, request, rest)
  if (rest.startsWith('documents/')) return events(core, request, rest.slice('documents/'.length))
  throw apiError(404, 'notFound', `Unknown history endpoint ${kind}/${rest}`)
}
