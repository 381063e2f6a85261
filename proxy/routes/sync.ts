import {isPublishedId, normalizeEmail, subjectKind, type SubjectId} from '../../core/access'
import {PROXY_ROUTES, type SyncRequest, type SyncResponse} from '../../core/contract'
import {badRequest, unprocessable} from '../http/errors'
import {isJsonObject, readJsonBody} from '../http/body'
import {jsonResponse} from '../http/responses'
import type {Route} from './types'

const SYNC_BODY_LIMIT_BYTES = 16 * 1024
/** At most this many subjects per request; reconcile covers "everyone". */
export const MAX_SUBJECTS_PER_SYNC = 100
const DOCUMENT_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/
const REVISION = /^[A-Za-z0-9_-]{1,64}$/

function subjectList(value: unknown, field: string): SubjectId[] {
  if (value === undefined) return []
  if (!Array.isArray(value))
    throw badRequest('invalid_request', `"${field}" must be an array of ids.`)
  for (const [index, id] of value.entries()) {
    if (subjectKind(id) === null) {
      throw unprocessable(
        'invalid_id',
        `"${field}[${index}]" is not a Clerk user or organization id.`,
      )
    }
  }
  return value as SubjectId[]
}

/** At most one address per document; a few allow for a caller naming several documents' worth. */
const MAX_PREVIOUS_EMAILS = 10

function emailList(value: unknown, field: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.length > MAX_PREVIOUS_EMAILS)
    throw badRequest(
      'invalid_request',
      `"${field}" must be an array of at most ${MAX_PREVIOUS_EMAILS} addresses.`,
    )
  return value.map((email, index) => {
    const normalized = normalizeEmail(email)
    if (normalized === null)
      throw unprocessable('invalid_email', `"${field}[${index}]" is not an email address.`)
    return normalized
  })
}

/** Validates a `SyncRequest` body: shape errors are 400, meaning errors 422. */
export function parseSyncRequest(
  body: unknown,
): Required<Pick<SyncRequest, 'subjects' | 'previousSubjects' | 'previousEmails'>> &
  Pick<SyncRequest, 'documentId' | 'documentRevision'> {
  if (!isJsonObject(body)) throw badRequest('invalid_request', 'The body must be a JSON object.')
  const subjects = subjectList(body.subjects, 'subjects')
  const previousSubjects = subjectList(body.previousSubjects, 'previousSubjects')
  const previousEmails = emailList(body.previousEmails, 'previousEmails')
  const {documentId} = body
  if (documentId !== undefined) {
    if (typeof documentId !== 'string')
      throw badRequest('invalid_request', '"documentId" must be a string.')
    if (!DOCUMENT_ID.test(documentId))
      throw unprocessable('invalid_id', '"documentId" is not a Sanity document id.')
    if (!isPublishedId(documentId)) {
      throw unprocessable(
        'invalid_id',
        '"documentId" must be a published id (drafts never grant access).',
      )
    }
  }
  if (
    documentId === undefined &&
    subjects.length === 0 &&
    previousSubjects.length === 0 &&
    previousEmails.length === 0
  ) {
    throw unprocessable(
      'nothing_to_sync',
      'Send "subjects", "documentId", "previousSubjects" or "previousEmails".',
    )
  }
  const {documentRevision} = body
  if (documentRevision !== undefined) {
    if (
      documentRevision !== null &&
      (typeof documentRevision !== 'string' || !REVISION.test(documentRevision))
    )
      throw badRequest('invalid_request', '"documentRevision" must be a revision id or null.')
    if (documentId === undefined)
      throw unprocessable(
        'invalid_request',
        '"documentRevision" needs the "documentId" it belongs to.',
      )
  }
  return {
    subjects,
    previousSubjects,
    previousEmails,
    ...(documentId === undefined ? {} : {documentId}),
    ...(documentRevision === undefined ? {} : {documentRevision}),
  }
}

/** Distinct named subjects in first-seen order, refusing more than {@link MAX_SUBJECTS_PER_SYNC}. */
export function distinctSubjects(...lists: SubjectId[][]): SubjectId[] {
  const subjects = [...new Set(lists.flat())]
  if (subjects.length > MAX_SUBJECTS_PER_SYNC) {
    throw unprocessable(
      'too_many_subjects',
      `At most ${MAX_SUBJECTS_PER_SYNC} subjects per sync; use reconcile for more.`,
    )
  }
  return subjects
}

/**
 * `POST /sync`: recomputes the named subjects, plus the subjects of a document now and before.
 * The body names only WHO to recompute, never what they get, so it cannot grant anything.
 */
export const syncRoute: Route = {
  method: 'POST',
  path: PROXY_ROUTES.sync,
  access: 'sync',
  async handle({request, engine, options, logger}) {
    const body = parseSyncRequest(
      await readJsonBody(request, Math.min(SYNC_BODY_LIMIT_BYTES, options.bodyLimitBytes)),
    )
    // The cap is for what the caller names; a plan or course fans out to every subject that
    // holds it, and capping that would leave the rest with stale access.
    const named = distinctSubjects(body.subjects, body.previousSubjects)
    // With the revision the Studio saw published, no read of the sync may be older than it.
    const {documentId, documentRevision} = body
    const results = await engine.syncChange({
      subjects: named,
      previousEmails: body.previousEmails,
      ...(documentId === undefined ? {} : {documentId}),
      ...(documentRevision === undefined ? {} : {documentRevision}),
    })
    for (const {subject, outcome, error, traceId} of results) {
      if (outcome !== 'failed') continue
      const trace = error?.clerkTraceId ? ` (Clerk trace ${error.clerkTraceId})` : ''
      logger.warn(`sync ${subject} failed (${traceId}): ${error?.code} ${error?.message}${trace}`)
    }
    return jsonResponse({results} satisfies SyncResponse)
  },
}
