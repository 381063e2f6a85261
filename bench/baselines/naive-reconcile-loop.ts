/**
 * The obvious way to reconcile without the proxy: for each user, read them from Clerk, read their
 * entitlements from Sanity, and write the merged metadata back, whether or not anything changed.
 * Two Clerk requests and one GROQ query per user, one user at a time, with the real SDKs. It
 * merges correctly (same pure rules as the proxy), so it differs from the proxy only in cost.
 */
import {createClerkClient} from '@clerk/backend'
import {createClient, type ClientConfig} from '@sanity/client'

import {
  computeAccess,
  entitlementProjection,
  resolveAccessRules,
  type EntitlementInput,
} from '../../core/access'

export interface NaiveReconcileOptions {
  sanity: ClientConfig
  clerk: {secretKey: string; apiUrl: string}
}

/** Reconciles `userIds` one by one; resolves with the number of users written. */
export async function naiveReconcileLoop(
  userIds: readonly string[],
  options: NaiveReconcileOptions,
): Promise<number> {
  const rules = resolveAccessRules()
  const sanity = createClient({...options.sanity, useCdn: false, perspective: 'published'})
  const clerk = createClerkClient({...options.clerk, telemetry: {disabled: true}})
  const query = `*[_type == "clerkEntitlement" && clerkUserId == $userId] ${entitlementProjection(rules)}`
  let written = 0
  for (const userId of userIds) {
    const user = await clerk.users.getUser(userId)
    const entitlements = await sanity.fetch<EntitlementInput[]>(query, {userId})
    const {metadata} = computeAccess(entitlements, rules, {now: new Date(), subject: userId})
    const removed = Object.fromEntries(
      ['plan', 'role', 'courseSlugs']
        .filter((key) => user.publicMetadata[key] !== undefined && !(key in metadata))
        .map((key) => [key, null]),
    )
    await clerk.users.updateUserMetadata(userId, {publicMetadata: {...removed, ...metadata}})
    written += 1
  }
  return written
}
