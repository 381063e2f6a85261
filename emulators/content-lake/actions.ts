/**
 * `POST /data/actions/<dataset>`: the Actions API, the only way the Studio writes. All actions in
 * one request form one transaction; each is expressed as mutations on a WorkingSet so the same
 * preconditions, revisions and listener events apply as for `/data/mutate`.
 */
import {apiError} from './errors'
import {isDraftId, isVersionId} from './groq'
import type {DocumentStore} from './store'
import type {LakeDocument, LakeTransaction} from './types'
import type {WorkingSet} from './working-set'
import {createdAtOf, idOf, revOf} from './fields'

type Action = Record<string, unknown>

const actionError = (description: string) => apiError(409, 'actionError', description)

function requireString(action: Action, field: string): string {
  const value = action[field]
  if (typeof value !== 'string' || value === '') {
    throw apiError(400, 'actionError', `${String(action.actionType)} requires "${field}"`)
  }
  return value
}

/** A document's content without the fields the lake sets itself. */
function content(document: LakeDocument): Record<string, unknown> {
  const {_rev: _r, _updatedAt: _u, _originalId: _o, ...rest} = document
  return rest
}

function requireDocument(action: Action, field: string): Record<string, unknown> {
  const value = action[field]
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw apiError(400, 'actionError', `${String(action.actionType)} requires "${field}"`)
  }
  return value as Record<string, unknown>
}

function ensureDraft(work: WorkingSet, draftId: string, publishedId: string): void {
  if (work.get(draftId)) return
  const published = work.get(publishedId)
  if (!published) {
    throw actionError(
      `Cannot edit "${publishedId}": neither a draft nor a published version exists`,
    )
  }
  work.create({...content(published), _id: draftId})
}

const handlers: Record<string, (work: WorkingSet, action: Action) => void> = {
  'sanity.action.document.create'(work, action) {
    const document = requireDocument(action, 'attributes')
    const id = idOf(document)
    if (typeof id === 'string' && work.get(id)) {
      if (action.ifExists === 'ignore') return
      throw actionError(`Document "${id}" already exists`)
    }
    work.create(document)
  },

  'sanity.action.document.edit'(work, action) {
    const draftId = requireString(action, 'draftId')
    const publishedId = requireString(action, 'publishedId')
    ensureDraft(work, draftId, publishedId)
    work.patch(draftId, requireDocument(action, 'patch'))
  },

  'sanity.action.document.publish'(work, action) {
    const draftId = requireString(action, 'draftId')
    const publishedId = requireString(action, 'publishedId')
    const draft = work.get(draftId)
    if (!draft) throw actionError(`Cannot publish "${publishedId}": there is no draft`)
    if (action.ifDraftRevisionId !== undefined && action.ifDraftRevisionId !== revOf(draft)) {
      throw actionError(`Draft "${draftId}" has changed (revision ${revOf(draft)})`)
    }
    const published = work.get(publishedId)
    if (
      action.ifPublishedRevisionId !== undefined &&
      action.ifPublishedRevisionId !== revOf(published)
    ) {
      throw actionError(`Published "${publishedId}" has changed (revision ${revOf(published)})`)
    }
    const createdAt = createdAtOf(published) ?? createdAtOf(draft)
    work.createOrReplace({...content(draft), _id: publishedId, _createdAt: createdAt})
    work.delete(draftId)
  },

  'sanity.action.document.unpublish'(work, action) {
    const draftId = requireString(action, 'draftId')
    const publishedId = requireString(action, 'publishedId')
    if (!work.get(publishedId))
      throw actionError(`Cannot unpublish "${publishedId}": not published`)
    ensureDraft(work, draftId, publishedId)
    work.delete(publishedId)
  },

  'sanity.action.document.discard'(work, action) {
    const draftId = requireString(action, 'draftId')
    if (!work.delete(draftId)) throw actionError(`Cannot discard "${draftId}": there is no draft`)
  },

  'sanity.action.document.version.discard'(work, action) {
    const versionId = requireString(action, 'versionId')
    if (!isDraftId(versionId) && !isVersionId(versionId)) {
      throw apiError(400, 'actionError', `"${versionId}" is not a draft or version id`)
    }
    if (!work.delete(versionId))
      throw actionError(`Cannot discard "${versionId}": it does not exist`)
  },

  'sanity.action.document.version.create'(work, action) {
    work.create(requireDocument(action, 'document'))
  },

  'sanity.action.document.version.replace'(work, action) {
    const document = requireDocument(action, 'document')
    const id = idOf(document)
    if (typeof id !== 'string' || !work.get(id)) {
      throw actionError(`Cannot replace "${String(id)}": it does not exist`)
    }
    work.createOrReplace(document)
  },

  'sanity.action.document.delete'(work, action) {
    const publishedId = requireString(action, 'publishedId')
    const includeDrafts = Array.isArray(action.includeDrafts)
      ? action.includeDrafts.map(String)
      : []
    const draftId = `drafts.${publishedId}`
    if (work.get(draftId) && !includeDrafts.includes(draftId)) {
      throw actionError(
        `Cannot delete "${publishedId}": draft "${draftId}" exists and is not listed`,
      )
    }
    const deletedAny = [publishedId, ...includeDrafts].map((id) => work.delete(id)).includes(true)
    if (!deletedAny) throw actionError(`Cannot delete "${publishedId}": it does not exist`)
  },

  'sanity.action.document.replaceDraft'(work, action) {
    const publishedId = requireString(action, 'publishedId')
    const attributes = action.attributes as Record<string, unknown> | undefined
    const givenId = idOf(attributes)
    const draftId = typeof givenId === 'string' ? givenId : `drafts.${publishedId}`
    if (!isDraftId(draftId)) throw apiError(400, 'actionError', `"${draftId}" is not a draft id`)
    work.createOrReplace({...attributes, _id: draftId})
  },
}

/** Validates and applies one Actions API request as a single transaction. */
export function applyActions(
  store: DocumentStore,
  body: unknown,
  identity: string,
): {response: {transactionId: string}; transaction: LakeTransaction | null} {
  const request = body as {actions?: unknown; transactionId?: unknown} | null
  const actions = Array.isArray(request?.actions) ? (request.actions as unknown[]) : null
  if (!actions || actions.length === 0) {
    throw apiError(400, 'actionError', 'Request body must be {"actions": [...]} with at least one')
  }
  for (const action of actions) {
    const type = (action as Action | null)?.actionType
    if (typeof type !== 'string' || !(type in handlers)) {
      throw apiError(
        400,
        'actionError',
        `Unknown or unsupported actionType ${JSON.stringify(type)}`,
      )
    }
  }
  const transactionId =
    typeof request?.transactionId === 'string' ? request.transactionId : undefined
  const work = store.begin(transactionId)
  for (const action of actions as Action[]) {
    handlers[action.actionType as string]?.(work, action)
  }
  const transaction = store.commit(work, identity)
  return {response: {transactionId: work.transactionId}, transaction}
}
