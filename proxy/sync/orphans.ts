/**
 * Orphaned entitlements: published entitlements naming a Clerk user or organization that no
 * longer exists. Found live, when asked (the Studio's Access tool), rather than recorded per
 * `user.deleted` event: a deletion missed while the proxy was down, or made before the Clerk
 * webhook was configured, is found all the same, and nothing is written to the dataset.
 */
import type {SubjectId} from '../../core/access'
import type {OrphanedEntitlement} from '../../core/contract'
import type {ClerkGateway} from '../clerk'
import type {AccessQueries} from '../sanity'
import {subjectOf} from '../sanity/queries'

/** Organizations are looked up one request each; this many at a time. */
const ORGANIZATION_LOOKUPS_AT_ONCE = 4

export interface OrphanSources {
  clerk: Pick<ClerkGateway, 'usersWithIds' | 'getOrganization'>
  queries: Pick<AccessQueries, 'entitlementPages'>
}

/**
 * Every published entitlement whose subject is gone from Clerk, in `_id` order. Costs one GROQ
 * query per 1,000 entitlements, one Clerk request per 100 distinct users named, and one per
 * distinct organization named (Clerk's organization list has no id filter).
 */
export async function findOrphanedEntitlements({
  clerk,
  queries,
}: OrphanSources): Promise<OrphanedEntitlement[]> {
  const named: Array<{entitlementId: string; title: string | null; subject: SubjectId}> = []
  for await (const page of queries.entitlementPages()) {
    for (const {_id: entitlementId, title, ...fields} of page) {
      const subject = subjectOf(fields)
      if (subject) named.push({entitlementId, title: title ?? null, subject})
    }
  }
  const users = [
    ...new Set(named.map(({subject}) => subject).filter((id) => id.startsWith('user_'))),
  ]
  const organizations = [
    ...new Set(named.map(({subject}) => subject).filter((id) => id.startsWith('org_'))),
  ]
  const existing = new Set((await clerk.usersWithIds(users)).map((user) => user.summary.id))
  for (let start = 0; start < organizations.length; start += ORGANIZATION_LOOKUPS_AT_ONCE) {
    const batch = organizations.slice(start, start + ORGANIZATION_LOOKUPS_AT_ONCE)
    const found = await Promise.all(batch.map((id) => clerk.getOrganization(id)))
    for (const organization of found) if (organization) existing.add(organization.summary.id)
  }
  return named
    .filter(({subject}) => !existing.has(subject))
    .map((entry) => ({...entry, kind: entry.subject.startsWith('org_') ? 'organization' : 'user'}))
}
