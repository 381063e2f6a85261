/**
 * What a publish, unpublish, delete or sync changed for whom: each affected subject's effective
 * access computed from the published entitlements before and after the change, with the names
 * editors know (people, plans, courses) instead of ids. Computed from content, not from what the
 * proxy wrote, so the answer is the same whether this sync or the webhook reached Clerk first.
 */
import type {SanityClient, SanityDocument} from 'sanity'

import {
  computeAccess,
  describeAccessChange,
  entitlementProjection,
  grantSlugProjection,
  type AccessChange,
  type AccessRules,
  type EntitlementInput,
  type SubjectId,
} from '../../core/access'
import {
  referencedIdsOf,
  referencedLookup,
  toEntitlementInput,
  type EntitlementDraft,
  type ReferencedDocument,
} from '../schema/entitlementValidation'
import {CLERK_TYPES, ENTITLEMENT_FIELDS} from '../schema/names'

/** Display names for subjects and granted values, keyed as {@link labelKey} builds them. */
export interface AccessLabels {
  subjects: Record<SubjectId, string>
  /** `<metadata key>:<value>` → title, e.g. `plan:pro` → `Pro`. */
  values: Record<string, string>
}

/** One subject's change with the labels to word it. */
export interface AccessOutcome {
  changes: AccessChange[]
  labels: AccessLabels
}

/** The key of a granted value in {@link AccessLabels.values}. */
export function labelKey(key: string, value: string): string {
  return `${key}:${value}`
}

interface OutcomeQueryResult {
  others: EntitlementInput[]
  referenced: ReferencedDocument[]
}

interface LabelQueryResult {
  ranked: Array<{_type: string; key: string | null; title: string | null}>
  granted: Array<{_type: string; slug: string | null; title: string | null}>
}

function subjectOf(document: SanityDocument | null): SubjectId | null {
  const value =
    document?.[ENTITLEMENT_FIELDS.userId] ?? document?.[ENTITLEMENT_FIELDS.organizationId]
  return typeof value === 'string' && value ? value : null
}

function snapshotName(document: SanityDocument | null): string | null {
  const snapshot = document?.[ENTITLEMENT_FIELDS.snapshot] as
    {name?: string | null; email?: string | null} | undefined
  return snapshot?.name || snapshot?.email || null
}

/** Titles of the plans, roles and granted documents the changes mention. */
export async function labelsFor(
  client: SanityClient,
  rules: AccessRules,
  changes: AccessChange[],
): Promise<Record<string, string>> {
  const items = changes.flatMap((c) => [
    ...c.gained,
    ...c.lost,
    ...c.switched.flatMap((s) => [
      {key: s.key, value: s.from},
      {key: s.key, value: s.to},
    ]),
  ])
  if (!items.length) return {}
  const rankedKeys = items.filter((i) => i.key === 'plan' || i.key === 'role').map((i) => i.value)
  const slugs = items.filter((i) => i.key !== 'plan' && i.key !== 'role').map((i) => i.value)
  const result = await client.fetch<LabelQueryResult>(
    `{
      "ranked": *[_type in [$plan, $role] && key in $rankedKeys]{_type, key, title},
      "granted": *[_type in $grantTypes]{_type, title, "slug": ${grantSlugProjection(rules)}}[slug in $slugs]
    }`,
    {
      plan: CLERK_TYPES.plan,
      role: CLERK_TYPES.role,
      rankedKeys,
      grantTypes: rules.grantableTypes.map((g) => g.type),
      slugs,
    },
    {perspective: 'published'},
  )
  const values: Record<string, string> = {}
  for (const {_type, key, title} of result.ranked) {
    if (!key || !title) continue
    values[labelKey(_type === CLERK_TYPES.plan ? 'plan' : 'role', key)] = title
  }
  for (const {_type, slug, title} of result.granted) {
    const grantable = rules.grantableTypes.find((g) => g.type === _type)
    if (grantable && slug && title) values[labelKey(grantable.metadataKey, slug)] = title
  }
  return values
}

/**
 * Each subject's change when the published entitlement `documentId` went from `before` to what
 * the lake holds now (`null` when unpublished or deleted). `extraSubjects` (e.g. those the proxy
 * synced) are included too. Names come from the entitlements' subject snapshots where they have
 * one, else from `resolveName` (the proxy), else stay unnamed (the caller shows the id).
 */
export async function accessOutcomeOf(
  client: SanityClient,
  rules: AccessRules,
  {
    documentId,
    before,
    extraSubjects = [],
    now = new Date(),
    resolveName,
  }: {
    documentId: string
    before: SanityDocument | null
    extraSubjects?: SubjectId[]
    now?: Date
    resolveName?: (subject: SubjectId) => Promise<string | null>
  },
): Promise<AccessOutcome> {
  const after = (await client.getDocument(documentId)) ?? null
  const subjects = [
    ...new Set([subjectOf(before), subjectOf(after), ...extraSubjects].filter(Boolean)),
  ] as SubjectId[]
  const documents = [before, after].filter(Boolean) as SanityDocument[]
  const referencedIds = [
    ...new Set(documents.flatMap((d) => referencedIdsOf(d as EntitlementDraft))),
  ]
  const result = await client.fetch<OutcomeQueryResult>(
    `{
      "others": *[_type == $type && _id != $documentId && (clerkUserId in $subjects || clerkOrganizationId in $subjects)] ${entitlementProjection(rules)},
      "referenced": *[_id in $referencedIds]{_id, _type, key, rank, "slug": ${grantSlugProjection(rules)}}
    }`,
    {type: CLERK_TYPES.entitlement, documentId, subjects, referencedIds},
    {perspective: 'published'},
  )
  const lookup = referencedLookup(result.referenced)
  const asInput = (document: SanityDocument | null) =>
    document ? [toEntitlementInput(document as EntitlementDraft, documentId, lookup)] : []
  const changes = subjects.map((subject) => {
    const others = result.others.filter(
      (e) => e.clerkUserId === subject || e.clerkOrganizationId === subject,
    )
    const access = (document: SanityDocument | null) =>
      computeAccess([...others, ...asInput(document)], rules, {now, subject}).metadata
    return describeAccessChange(subject, access(before), access(after))
  })
  const names: Record<SubjectId, string> = {}
  for (const document of [after, before]) {
    const subject = subjectOf(document)
    const name = snapshotName(document)
    if (subject && name && !names[subject]) names[subject] = name
  }
  await Promise.all(
    subjects
      .filter((subject) => !names[subject] && resolveName)
      .map(async (subject) => {
        const name = await resolveName!(subject).catch(() => null)
        if (name) names[subject] = name
      }),
  )
  return {changes, labels: {subjects: names, values: await labelsFor(client, rules, changes)}}
}
