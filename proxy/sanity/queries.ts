import {createClient, type ClientConfig, type SanityClient} from '@sanity/client'
import {entitlementProjection, isPublishedId, normalizeEmail, subjectKind} from '../../core/access'
import type {SanityReader} from './transport'
import type {AccessRules, EntitlementInput, SubjectId, SubjectKind} from '../../core/access'

/** The document type of entitlements, as the plugin's schema defines it. */
export const ENTITLEMENT_TYPE = 'clerkEntitlement'
/** Pinned so query semantics never shift under us; new enough that `published` is the default. */
export const SANITY_API_VERSION = '2025-02-19'
/** Entitlements per reconcile page. */
export const DEFAULT_ENTITLEMENT_PAGE_SIZE = 1000
/**
 * Entitlements per page of subject ids: three short fields each, so a page stays small while a
 * pass over 100,000 entitlements takes 20 sequential queries rather than 100.
 */
export const DEFAULT_SUBJECT_PAGE_SIZE = 5000

// Drafts and versions are excluded twice: by the `published` perspective and by id, so a client
// configured with another perspective still never lets a draft grant access.
const PUBLISHED_ONLY = `!(_id in path("drafts.**")) && !(_id in path("versions.**"))`

/** What the sync engine reads from Sanity. Every GROQ query of the proxy lives here. */
export interface AccessQueries {
  /**
   * ONE query: the published entitlements of each subject (a subject with none maps to `[]`):
   * those naming its id, and for a user those addressed to one of its `verifiedEmails` (as read
   * from Clerk; a user missing from the map has none).
   */
  entitlementsOf(
    subjects: readonly SubjectId[],
    verifiedEmails?: VerifiedEmails,
  ): Promise<Map<SubjectId, EntitlementInput[]>>
  /**
   * ONE query: the published entitlements of each subject, and the revision this same read saw
   * of each `probe` document (`null`: not there). Queries may be answered by a replica that lags
   * behind the writes; the probe tells how far this answer had got.
   */
  readSubjects(
    subjects: readonly SubjectId[],
    probe: readonly string[],
    verifiedEmails?: VerifiedEmails,
  ): Promise<SubjectsRead>
  /**
   * The CURRENT published revision of each document (`null`: not there), from the document
   * endpoint, which unlike queries always answers with the latest write.
   */
  currentRevisions(documentIds: readonly string[]): Promise<Map<string, string | null>>
  /**
   * ONE query: the subjects a change to this document affects now: an entitlement's own subject,
   * or for a plan, role or granted document the subjects of every entitlement referencing it.
   * The subjects it had before a change are the caller's to add (Studio action, webhook `before`).
   */
  subjectsOfDocument(documentId: string, probe?: readonly string[]): Promise<SubjectsOfDocument>
  /**
   * ONE query for a change the Studio names (`POST /sync {documentId, previousSubjects}`): what
   * {@link readSubjects} reads for `subjects` and, in the same round trip, what
   * {@link subjectsOfDocument} reads for the document, so a sync whose document still names the
   * subjects it named before asks Sanity once.
   */
  readChange(
    documentId: string,
    subjects: readonly SubjectId[],
    probe: readonly string[],
    verifiedEmails?: VerifiedEmails,
  ): Promise<SubjectsRead & {document: Omit<SubjectsOfDocument, 'revisions'>}>
  /** Every published entitlement, in `_id` order, one query per page. */
  entitlementPages(options?: PageOptions): AsyncIterable<EntitlementInput[]>
  /**
   * The subjects of `kind` that published entitlements name by id, one query per page of those
   * entitlements in `_id` order. Only the ids are read, so a page stays small however large the
   * dataset; a subject named by several entitlements can come on more than one page.
   */
  subjectPages(options: PageOptions & {kind: SubjectKind}): AsyncIterable<SubjectId[]>
  /**
   * ONE query: subjects of published entitlements whose `validFrom` or `validUntil` falls in
   * `(after, until]`: the ones whose access changed with time alone.
   */
  subjectsWithValidityBoundary(after: Date, until: Date): Promise<SubjectsWithBoundary>
}

/** Paging of {@link AccessQueries.entitlementPages} and {@link AccessQueries.subjectPages}. */
export interface PageOptions {
  /**
   * Entitlements per query (default {@link DEFAULT_ENTITLEMENT_PAGE_SIZE}, for subject ids
   * {@link DEFAULT_SUBJECT_PAGE_SIZE}).
   */
  pageSize?: number
  signal?: AbortSignal
}

/** The field that names a subject of each kind. */
const SUBJECT_FIELD: Record<SubjectKind, keyof SubjectFields> = {
  user: 'clerkUserId',
  organization: 'clerkOrganizationId',
}

/** What {@link AccessQueries.subjectsWithValidityBoundary} found. */
export interface SubjectsWithBoundary {
  subjects: SubjectId[]
  /** Addresses of email-addressed entitlements with a boundary: their users are the caller's to find. */
  emails: string[]
}

/** What {@link AccessQueries.subjectsOfDocument} read in one query. */
export interface SubjectsOfDocument {
  subjects: SubjectId[]
  /** Addresses of email-addressed entitlements affected: their users are the caller's to find. */
  emails: string[]
  /** Revision of each probed document as this read saw it; `null` when it saw none. */
  revisions: Map<string, string | null>
}

/** What {@link AccessQueries.readSubjects} read in one query. */
export interface SubjectsRead {
  bySubject: Map<SubjectId, EntitlementInput[]>
  /** Revision of each probed document as this read saw it; `null` when it saw none. */
  revisions: Map<string, string | null>
}

/** Each user's verified addresses, normalized, as Clerk has them. */
export type VerifiedEmails = ReadonlyMap<SubjectId, readonly string[]>

interface SubjectFields {
  clerkUserId?: string | null
  clerkOrganizationId?: string | null
  clerkEmail?: string | null
}

/**
 * The address an entitlement is addressed to, normalized, or `null` unless it names exactly one
 * subject and that is an email. Such entitlements belong to whichever user has it verified.
 */
export function emailOf(entitlement: SubjectFields | null | undefined): string | null {
  const fields = [
    entitlement?.clerkUserId,
    entitlement?.clerkOrganizationId,
    entitlement?.clerkEmail,
  ]
  if (fields.filter(Boolean).length !== 1) return null
  return normalizeEmail(entitlement?.clerkEmail)
}

/** The subject an entitlement names, or `null` unless it names exactly one valid subject. */
export function subjectOf(entitlement: SubjectFields | null | undefined): SubjectId | null {
  const user = entitlement?.clerkUserId || null
  const organization = entitlement?.clerkOrganizationId || null
  if ((user === null) === (organization === null)) return null
  const subject = (user ?? organization) as string
  return subjectKind(subject) === null ? null : subject
}

/** A `drafts.x` or `versions.r.x` id names the change to published document `x`. */
function publishedIdOf(documentId: string): string {
  if (documentId.startsWith('drafts.')) return documentId.slice('drafts.'.length)
  if (documentId.startsWith('versions.')) return documentId.split('.').slice(2).join('.')
  return documentId
}

/**
 * The proxy's GROQ queries over a {@link SanityReader} (`createSanityReader`, or a
 * `@sanity/client`). Every query asks for the `published` perspective without the CDN, whatever
 * the client's own defaults, and is tagged for the request log.
 */
export function createAccessQueries(client: SanityReader, rules: AccessRules): AccessQueries {
  const projection = entitlementProjection(rules)
  const options = (tag: string) => ({
    perspective: 'published' as const,
    useCdn: false,
    tag: `clerk-sync.${tag}`,
  })

  // `$emails`: the verified addresses of the users among `$subjects` (stored normalized).
  const subjectQuery = `*[_type == $type && ${PUBLISHED_ONLY} && (clerkUserId in $subjects || clerkOrganizationId in $subjects || clerkEmail in $emails)] | order(_id asc) ${projection}`
  const inWindow = (field: string) =>
    `(dateTime(${field}) > dateTime($after) && dateTime(${field}) <= dateTime($until))`
  const boundaryQuery = `*[_type == $type && ${PUBLISHED_ONLY} && (${inWindow('validFrom')} || ${inWindow('validUntil')})]{clerkUserId, clerkOrganizationId, clerkEmail}`
  const documentMembers = `"self": *[_id == $id && _type == $type][0]{clerkUserId, clerkOrganizationId, clerkEmail},
  "referencing": *[_type == $type && ${PUBLISHED_ONLY} && references($id)]{clerkUserId, clerkOrganizationId, clerkEmail}`
  const documentQuery = `{
  ${documentMembers},
  "revisions": *[_id in $probe]{"id": _id, "rev": _rev}
}`
  const changeQuery = `{
  "entitlements": ${subjectQuery},
  ${documentMembers},
  "revisions": *[_id in $probe]{"id": _id, "rev": _rev}
}`

  const probedSubjectQuery = `{"entitlements": ${subjectQuery}, "revisions": *[_id in $probe]{"id": _id, "rev": _rev}}`

  const groupBySubject = (
    subjects: readonly SubjectId[],
    entitlements: EntitlementInput[] | null | undefined,
    verifiedEmails: VerifiedEmails = new Map(),
  ) => {
    const bySubject = new Map<SubjectId, EntitlementInput[]>(
      subjects.map((subject) => [subject, []]),
    )
    const usersByEmail = new Map<string, SubjectId[]>()
    for (const subject of subjects) {
      for (const email of verifiedEmails.get(subject) ?? []) {
        usersByEmail.set(email, [...(usersByEmail.get(email) ?? []), subject])
      }
    }
    for (const entitlement of entitlements ?? []) {
      if (!entitlement || !isPublishedId(documentIdOf(entitlement))) continue
      const email = normalizeEmail(entitlement.clerkEmail)
      const owners = [
        entitlement.clerkUserId,
        entitlement.clerkOrganizationId,
        ...(email ? (usersByEmail.get(email) ?? []) : []),
      ]
      for (const subject of new Set(owners)) {
        if (subject) bySubject.get(subject)?.push(entitlement)
      }
    }
    return bySubject
  }

  const subjectParams = (subjects: readonly SubjectId[], verifiedEmails?: VerifiedEmails) => ({
    type: ENTITLEMENT_TYPE,
    subjects: [...subjects],
    emails: [...new Set(subjects.flatMap((subject) => verifiedEmails?.get(subject) ?? []))],
  })

  const entitlementsOf: AccessQueries['entitlementsOf'] = async (subjects, verifiedEmails) => {
    if (subjects.length === 0) return groupBySubject(subjects, [])
    const entitlements = await client.fetch<EntitlementInput[]>(
      subjectQuery,
      subjectParams(subjects, verifiedEmails),
      options('subject'),
    )
    return groupBySubject(subjects, entitlements, verifiedEmails)
  }

  return {
    entitlementsOf,

    async readSubjects(subjects, probe, verifiedEmails) {
      if (probe.length === 0) {
        return {bySubject: await entitlementsOf(subjects, verifiedEmails), revisions: new Map()}
      }
      const result = await client.fetch<{
        entitlements: EntitlementInput[] | null
        revisions: Array<{id: string; rev: string}> | null
      }>(
        probedSubjectQuery,
        {...subjectParams(subjects, verifiedEmails), probe: [...probe]},
        options('subject'),
      )
      return {
        bySubject: groupBySubject(subjects, result?.entitlements, verifiedEmails),
        revisions: revisionsSeen(probe, result?.revisions),
      }
    },

    async currentRevisions(documentIds) {
      const documents = await client.getDocuments([...documentIds], {tag: 'clerk-sync.revision'})
      return new Map(
        documentIds.map((id, index) => {
          const {_rev: rev = null} = documents[index] ?? {}
          return [id, rev]
        }),
      )
    },

    async subjectsOfDocument(documentId, probe = []) {
      const result = await client.fetch<DocumentMembers & {revisions: RevisionsSeen}>(
        documentQuery,
        {id: publishedIdOf(documentId), type: ENTITLEMENT_TYPE, probe: [...probe]},
        options('document'),
      )
      return {...documentSubjects(result), revisions: revisionsSeen(probe, result?.revisions)}
    },

    async readChange(documentId, subjects, probe, verifiedEmails) {
      const result = await client.fetch<
        DocumentMembers & {entitlements: EntitlementInput[] | null; revisions: RevisionsSeen}
      >(
        changeQuery,
        {
          ...subjectParams(subjects, verifiedEmails),
          id: publishedIdOf(documentId),
          probe: [...probe],
        },
        options('change'),
      )
      return {
        bySubject: groupBySubject(subjects, result?.entitlements, verifiedEmails),
        revisions: revisionsSeen(probe, result?.revisions),
        document: documentSubjects(result),
      }
    },

    async subjectsWithValidityBoundary(after, until) {
      const found = await client.fetch<SubjectFields[]>(
        boundaryQuery,
        {type: ENTITLEMENT_TYPE, after: after.toISOString(), until: until.toISOString()},
        options('validity'),
      )
      return {
        subjects: [
          ...new Set((found ?? []).flatMap((entitlement) => subjectOf(entitlement) ?? [])),
        ],
        emails: [...new Set((found ?? []).flatMap((entitlement) => emailOf(entitlement) ?? []))],
      }
    },

    entitlementPages: (paging) => pagesById<EntitlementInput>('', projection, 'reconcile', paging),

    async *subjectPages({kind, pageSize = DEFAULT_SUBJECT_PAGE_SIZE, signal}) {
      // Both subject fields: one naming a user AND an organization names no subject at all.
      const pages = pagesById<SubjectFields & {_id: string}>(
        `&& defined(${SUBJECT_FIELD[kind]})`,
        '{_id, clerkUserId, clerkOrganizationId}',
        'subjects',
        {pageSize, signal},
      )
      for await (const page of pages) {
        yield page.flatMap((entitlement) => {
          const subject = subjectOf(entitlement)
          return subject && subjectKind(subject) === kind ? [subject] : []
        })
      }
    },
  }

  /**
   * Published entitlements matching `filter` (literal GROQ of ours, never input), in `_id` order,
   * projected with `pageProjection`, one query per page.
   */
  async function* pagesById<T extends {_id: string}>(
    filter: string,
    pageProjection: string,
    tag: string,
    {pageSize = DEFAULT_ENTITLEMENT_PAGE_SIZE, signal}: PageOptions = {},
  ): AsyncGenerator<T[]> {
    const size = Math.max(1, Math.floor(pageSize))
    // A literal slice: the page size is ours, not user input.
    const pageQuery = `*[_type == $type && ${PUBLISHED_ONLY} && _id > $after ${filter}] | order(_id asc) [0...${size}] ${pageProjection}`
    let after = ''
    for (;;) {
      if (signal?.aborted) return
      const page = await client.fetch<T[]>(
        pageQuery,
        {type: ENTITLEMENT_TYPE, after},
        {...options(tag), signal},
      )
      if (!page?.length) return
      yield page
      if (page.length < size) return
      const last = page.at(-1)
      if (!last) return
      after = documentIdOf(last)
    }
  }
}

type RevisionsSeen = Array<{id: string; rev: string}> | null | undefined

/** What the document members of a query read: the document itself and what references it. */
interface DocumentMembers {
  self: SubjectFields | null
  referencing: SubjectFields[] | null
}

/** The subjects and addresses a change to the document affects, from its members' read. */
function documentSubjects(
  result: DocumentMembers | null | undefined,
): Omit<SubjectsOfDocument, 'revisions'> {
  const subjects = new Set<SubjectId>()
  const emails = new Set<string>()
  for (const entitlement of [result?.self, ...(result?.referencing ?? [])]) {
    const subject = subjectOf(entitlement)
    if (subject) subjects.add(subject)
    const email = emailOf(entitlement)
    if (email) emails.add(email)
  }
  return {subjects: [...subjects].sort(), emails: [...emails].sort()}
}

function revisionsSeen(probe: readonly string[], seen: RevisionsSeen): Map<string, string | null> {
  const revisions = new Map<string, string | null>(probe.map((id) => [id, null]))
  for (const {id, rev} of seen ?? []) revisions.set(id, rev)
  return revisions
}

function documentIdOf({_id}: {_id: string}): string {
  return _id
}

/** Settings for {@link createSanityReadClient}. */
export interface SanityReadClientConfig {
  projectId: string
  dataset: string
  /** A token that can read the dataset (a robot token with viewer rights is enough). */
  token?: string
  /** Another API host, e.g. a local Content Lake (`useProjectHostname` is then turned off). */
  apiHost?: string
  /** Extra `@sanity/client` settings (e.g. `resolveFetch` to trust a local certificate). */
  clientOptions?: Partial<ClientConfig>
}

/** A `@sanity/client` for the proxy's reads: pinned API version, no CDN, `published` perspective. */
export function createSanityReadClient(config: SanityReadClientConfig): SanityClient {
  return createClient({
    projectId: config.projectId,
    dataset: config.dataset,
    token: config.token,
    apiVersion: SANITY_API_VERSION,
    useCdn: false,
    perspective: 'published',
    ...(config.apiHost ? {apiHost: config.apiHost, useProjectHostname: false} : {}),
    ...config.clientOptions,
  })
}
