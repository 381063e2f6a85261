import {
  isPublishedId,
  normalizeEmail,
  subjectKind,
  type AccessRules,
  type SubjectId,
} from '../../core/access'
import {badRequest, unprocessable} from '../http/errors'
import {isJsonObject} from '../http/body'
import type {RevisionRequirement} from '../sync/freshness'
import type {ProxyEngine} from './engine'

/**
 * The GROQ projection to configure on the webhook (and on the Sanity Function): the document's id
 * and type, its subject before and after the change (so reassignment and deletion revoke), and
 * its revision after the change (`null` once deleted), so the sync never reads older content.
 */
export const DOCUMENT_EVENT_PROJECTION =
  '{_id, _type, "rev": after()._rev, "operation": delta::operation(), "before": before(){clerkUserId, clerkOrganizationId, clerkEmail}, "after": after(){clerkUserId, clerkOrganizationId, clerkEmail}}'

const ENTITLEMENT_TYPE = 'clerkEntitlement'
const REFERENCED_TYPES = ['clerkPlan', 'clerkRole']

/** A webhook/Function filter matching every document type a sync can depend on. */
export function documentEventFilter(rules: AccessRules): string {
  const types = [
    ENTITLEMENT_TYPE,
    ...REFERENCED_TYPES,
    ...rules.grantableTypes.map(({type}) => type),
  ]
  return `_type in ${JSON.stringify([...new Set(types)])}`
}

interface SubjectFields {
  clerkUserId?: unknown
  clerkOrganizationId?: unknown
  clerkEmail?: unknown
}

/**
 * A document change, from a webhook body or a Function's `event.data` (both are the result of
 * {@link DOCUMENT_EVENT_PROJECTION}).
 */
export interface DocumentEvent {
  documentId: string
  /** Missing when the projection leaves `_type` out: the subjects are then looked up. */
  documentType: string | undefined
  before: SubjectFields | null
  after: SubjectFields | null
  /**
   * The published revision after the change (`null`: deleted or unpublished); `undefined` when
   * the projection does not carry it (configured before `rev` was part of it).
   */
  rev: string | null | undefined
}

function subjectFields(value: unknown, side: string): SubjectFields | null {
  if (value === undefined || value === null) return null
  if (!isJsonObject(value))
    throw badRequest('invalid_event', `"${side}" must be an object or null.`)
  return value
}

/** Checks a projected document event's shape (400) and its id (422). */
export function parseDocumentEvent(value: unknown): DocumentEvent {
  if (!isJsonObject(value)) {
    throw badRequest(
      'invalid_event',
      'The event must be a JSON object; configure the projection DOCUMENT_EVENT_PROJECTION.',
    )
  }
  const {_id: documentId, _type: documentType} = value
  if (typeof documentId !== 'string' || !documentId) {
    throw unprocessable(
      'invalid_event',
      'The event has no "_id"; configure the projection DOCUMENT_EVENT_PROJECTION.',
    )
  }
  if (documentType !== undefined && typeof documentType !== 'string') {
    throw badRequest('invalid_event', '"_type" must be a string.')
  }
  const {rev} = value
  if (rev !== undefined && rev !== null && (typeof rev !== 'string' || !rev)) {
    throw badRequest('invalid_event', '"rev" must be a revision string or null.')
  }
  return {
    documentId,
    documentType,
    rev,
    before: subjectFields(value.before, 'before'),
    after: subjectFields(value.after, 'after'),
  }
}

export type DocumentEventSubjects =
  | {subjects: SubjectId[]; ignored?: undefined; revision?: RevisionRequirement}
  | {subjects: []; ignored: string}

/**
 * Who to recompute for a document event: the subject before and after the change, and, for a
 * plan, role or grantable document, every subject whose entitlements reference it. Drafts and
 * unrelated types are ignored (they can never change published access).
 */
export async function subjectsOfDocumentEvent(
  event: DocumentEvent,
  engine: Pick<ProxyEngine, 'subjectsOfDocument' | 'usersWithVerified'>,
  rules: AccessRules,
): Promise<DocumentEventSubjects> {
  const {documentId, documentType} = event
  if (!isPublishedId(documentId))
    return {subjects: [], ignored: 'drafts and versions never grant access'}
  const referencedTypes = new Set([
    ...REFERENCED_TYPES,
    ...rules.grantableTypes.map(({type}) => type),
  ])
  const isEntitlement = documentType === ENTITLEMENT_TYPE
  if (documentType !== undefined && !isEntitlement && !referencedTypes.has(documentType)) {
    return {subjects: [], ignored: `documents of type "${documentType}" do not affect access`}
  }
  const direct = [event.before, event.after].flatMap((fields) =>
    [fields?.clerkUserId, fields?.clerkOrganizationId].filter(
      (id): id is SubjectId => subjectKind(id) !== null,
    ),
  )
  // An address names whoever has it verified, before the change (revoke) as after it (grant).
  const emails = [event.before, event.after]
    .map((fields) => normalizeEmail(fields?.clerkEmail))
    .filter((email): email is string => email !== null)
  const holders = emails.length > 0 ? await engine.usersWithVerified([...new Set(emails)]) : []
  // An entitlement's subjects are in the event itself; anything else (or a projection without
  // `_type`) is looked up by reference.
  const referencing = isEntitlement ? [] : await engine.subjectsOfDocument(documentId, event.rev)
  return {
    subjects: [...new Set([...direct, ...holders, ...referencing])],
    ...(event.rev === undefined ? {} : {revision: {documentId, rev: event.rev}}),
  }
}
