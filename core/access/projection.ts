import type {AccessRules} from './types'

/**
 * GROQ for the slug of a granted document of any grantable type. Field and type names come
 * from validated rules (`resolveAccessRules` only allows plain identifiers), since GROQ cannot
 * take field names as parameters. A slug field may be a `slug` object or a plain string.
 */
export function grantSlugProjection(rules: AccessRules): string {
  const cases = rules.grantableTypes.map(
    ({type, slugField}) =>
      `_type == ${JSON.stringify(type)} => coalesce(${slugField}.current, ${slugField})`,
  )
  return cases.length ? `select(${cases.join(', ')})` : 'null'
}

/**
 * The projection of an entitlement into an `EntitlementInput`: exactly the fields the rules
 * read. The proxy's queries and the Studio's size estimate both use it, so they compute from
 * the same shape.
 */
export function entitlementProjection(rules: AccessRules): string {
  return `{
  _id, title, clerkUserId, clerkOrganizationId, clerkEmail, validFrom, validUntil,
  "plan": plan->{key, rank},
  "role": role->{key, rank},
  "grants": grants[]->{_id, _type, "slug": ${grantSlugProjection(rules)}}
}`
}
