import {createClient, type ClientConfig, type SanityClient} from '@sanity/client'
import {entitlementProjection, isPublishedId, subjectKind} from '../../core/access'
import type {AccessRules, EntitlementInput, SubjectId} from '../../core/access'

/** The document type of entitlements, as the plugin's schema defines it. */
export const ENTITLEMENT_TYPE = 'clerkEntitlement'
/** Pinned so query semantics never shift under us; new enough that `published` is the default. */
export const SANITY_API_VERSION = '2025-02-19'
/** Entitlements per reconcile page. */
export const DEFAULT_ENTITLEMENT_PAGE_SIZE = 1000

// Drafts and versions are excluded twice: by the `published` perspective and by id, so a client
// configured with another perspective still never lets a draft grant access.
const PUBLISHED_ONLY = `!(_id in path("drafts.**")) && !(_id in path("versions.**"))`

/** What the sync engine reads from Sanity. Every GROQ query of the proxy lives here. */
export interface AccessQueries {
  /** ONE query: the published entitlements of each subject (a subject with none maps to `[]`). */
  entitlementsOf(subjects: readonly SubjectId[]): Promise<Map<SubjectId, EntitlementInput[]>>
  /**
   * ONE query: the subjects a change to this document affects now: an entitlement's own subject,
   * or for a plan, role or granted document the subjects of every entitlement referencing it.
   * The subjects it had before a change are the caller's to add (Studio action, webhook `before`).
   */
  subjectsOfDocument(documentId: string): Promise<SubjectId[]>
  /** Every published entitlement, in `_id` order, one query per page. */
  entitlementPages(options?: {
    pageSize?: number
    signal?: AbortSignal
  }): AsyncIterable<EntitlementInput[]>
  /**
   * ONE query: subjects of published entitlements whose `validFrom` or `validUntil` falls in
   * `(after, until]`: the ones whose access changed with time alone.
   */
  subjectsWithValidityBoundary(after: Date, until: Date): Promise<SubjectId[]>
}

interface SubjectFields {
  clerkUserId?: string | null
  clerkOrganizationId?: string | null
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
 * The proxy's GROQ queries over a `@sanity/client`. Every query asks for the `published`
 * perspective without the CDN, whatever the client's own defaults, and is tagged for the
 * request log.
 */
export function createAccessQueries(client: SanityClient, rules: AccessRules): AccessQueries {
  const projection = entitlementProjection(rules)
  const options = (tag: string) => ({
    perspective: 'published' as const,
    useCdn: false,
    tag: `clerk-sync.${tag}`,
  })

  const subjectQuery = `*[_type == $type && ${PUBLISHED_ONLY} && (clerkUserId in $subjects || clerkOrganizationId in $subjects)] | order(_id asc) ${projection}`
  const inWindow = (field: string) =>
    `(dateTime(${field}) > dateTime($after) && dateTime(${field}) <= dateTime($until))`
  const boundaryQuery = `*[_type == $type && ${PUBLISHED_ONLY} && (${inWindow('validFrom')} || ${inWindow('validUntil')})]{clerkUserId, clerkOrganizationId}`
  const documentQuery = `{
  "self": *[_id == $id && _type == $type][0]{clerkUserId, clerkOrganizationId},
  "referencing": *[_type == $type && ${PUBLISHED_ONLY} && references($id)]{clerkUserId, clerkOrganizationId}
}`

  return {
    async entitlementsOf(subjects) {
      const bySubject = new Map<SubjectId, EntitlementInput[]>(
        subjects.map((subject) => [subject, []]),
      )
      if (subjects.length === 0) return bySubject
      const entitlements = await client.fetch<EntitlementInput[]>(
        subjectQuery,
        {type: ENTITLEMENT_TYPE, subjects: [...subjects]},
        options('subject'),
      )
      for (const entitlement of entitlements ?? []) {
        if (!entitlement || !isPublishedId(documentIdOf(entitlement))) continue
        for (const subject of [entitlement.clerkUserId, entitlement.clerkOrganizationId]) {
          if (subject) bySubject.get(subject)?.push(entitlement)
        }
      }
      return bySubject
    },

    async subjectsOfDocument(documentId) {
      const id = publishedIdOf(documentId)
      const result = await client.fetch<{
        self: SubjectFields | null
        referencing: SubjectFields[] | null
      }>(documentQuery, {id, type: ENTITLEMENT_TYPE}, options('document'))
      const subjects = new Set<SubjectId>()
      for (const entitlement of [result?.self, ...(result?.referencing ?? [])]) {
        const subject = subjectOf(entitlement)
        if (subject) subjects.add(subject)
      }
      return [...subjects].sort()
    },

    async subjectsWithValidityBoundary(after, until) {
      const found = await client.fetch<SubjectFields[]>(
        boundaryQuery,
        {type: ENTITLEMENT_TYPE, after: after.toISOString(), until: until.toISOString()},
        options('validity'),
      )
      return [...new Set((found ?? []).flatMap((entitlement) => subjectOf(entitlement) ?? []))]
    },

    async *entitlementPages({pageSize = DEFAULT_ENTITLEMENT_PAGE_SIZE, signal} = {}) {
      const size = Math.max(1, Math.floor(pageSize))
      // A literal slice: the page size is ours, not user input.
      const pageQuery = `*[_type == $type && ${PUBLISHED_ONLY} && _id > $after] | order(_id asc) [0...${size}] ${projection}`
      let after = ''
      for (;;) {
        if (signal?.aborted) return
        const page = await client.fetch<EntitlementInput[]>(
          pageQuery,
          {type: ENTITLEMENT_TYPE, after},
          {...options('reconcile'), signal},
        )
        if (!page?.length) return
        yield page
        if (page.length < size) return
        const last = page.at(-1)
        if (!last) return
        after = documentIdOf(last)
      }
    },
  }
}

function documentIdOf({_id}: EntitlementInput): string {
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
