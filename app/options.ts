import {resolveAccessRules, type AccessRules, type AccessRulesOptions} from '../core/access'

/** Plan and role ranks by key, as the `clerkPlan` and `clerkRole` documents hold them. */
export interface AccessRanks {
  plans: Record<string, number>
  roles: Record<string, number>
}

/**
 * Options of every helper in `sanity-plugin-clerk/app`. `grantableTypes` and `namespace` must
 * equal the proxy's `rules` (and the Studio plugin's options): they decide where the access lives
 * in Clerk's metadata.
 */
export interface MemberAccessOptions {
  /** Same as the proxy's `rules.grantableTypes`. Default `[{type: 'course'}]`. */
  grantableTypes?: AccessRulesOptions['grantableTypes']
  /** Same as the proxy's `rules.namespace`. */
  namespace?: string | null
  /** Name of the custom claim the session-token template adds. Default `access`. */
  claim?: string
  /**
   * Plan and role ranks, so a higher plan satisfies a lower requirement and a user's and an
   * organization's access merge as the proxy merges entitlements. Fetch them with
   * {@link RANKS_QUERY}; without them every plan and role ranks 0.
   */
  ranks?: AccessRanks
  /** Session-claim budget in bytes. Default Clerk's 1.2 KB recommendation (1200). */
  sessionBudgetBytes?: number
}

/** {@link MemberAccessOptions} with defaults applied. */
export interface ResolvedMemberAccessOptions {
  rules: AccessRules
  claim: string
  ranks: AccessRanks
}

/** Claims Clerk sets itself; a template may not use them. */
const RESERVED_CLAIMS = new Set(
  'act azp exp fea fva iat iss jti nbf o pla sid sts sub v'.split(' '),
)
const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Applies defaults; throws, naming the option, on anything that would read the wrong claims. */
export function resolveMemberAccessOptions(
  options: MemberAccessOptions = {},
): ResolvedMemberAccessOptions {
  const rules = resolveAccessRules({
    ...(options.grantableTypes && {grantableTypes: options.grantableTypes}),
    ...(options.namespace !== undefined && {namespace: options.namespace}),
    ...(options.sessionBudgetBytes !== undefined && {
      sessionBudgetBytes: options.sessionBudgetBytes,
    }),
  })
  const claim = options.claim ?? 'access'
  if (!CLAIM_NAME.test(claim) || RESERVED_CLAIMS.has(claim)) {
    throw new Error(
      `sanity-plugin-clerk/app: option "claim" must be a plain claim name that Clerk does not reserve, got ${JSON.stringify(claim)}`,
    )
  }
  const ranks = options.ranks ?? {plans: {}, roles: {}}
  for (const kind of ['plans', 'roles'] as const) {
    for (const [key, rank] of Object.entries(ranks[kind] ?? {})) {
      if (typeof rank !== 'number' || !Number.isFinite(rank)) {
        throw new Error(
          `sanity-plugin-clerk/app: option "ranks.${kind}.${key}" must be a finite number`,
        )
      }
    }
  }
  return {rules, claim, ranks: {plans: {...ranks.plans}, roles: {...ranks.roles}}}
}
