import {CLERK_TYPES} from '../src/schema/names'
import type {MemberAccess} from './access'
import {resolveMemberAccessOptions, type AccessRanks, type MemberAccessOptions} from './options'

/** A GROQ filter and the parameters it needs. */
export interface EntitledFilter {
  /** A GROQ boolean expression, e.g. `(_type == "course" && … in $access_course)`. */
  filter: string
  /** Parameters the filter names; pass them to `client.fetch(query, params)` as they are. */
  params: Record<string, string[]>
}

export interface EntitledFilterOptions extends MemberAccessOptions {
  /**
   * A GROQ condition for content everyone may see (your code, never user input), e.g.
   * `free == true`. It is OR-ed with the grants.
   */
  publicFilter?: string
}

/**
 * The GROQ filter that matches only the documents a member is entitled to: those of a
 * grantable type whose slug is granted (plus, with `publicFilter`, the public ones). Type and
 * field names come from the validated rules; the member's slugs travel only as parameters, so
 * nothing a token carries is ever spliced into query text.
 *
 * @example
 * ```ts
 * const {filter, params} = entitledFilter(access, {publicFilter: 'free == true'})
 * const courses = await client.fetch(`*[_type == "course" && ${filter}]{title, body}`, params)
 * ```
 */
export function entitledFilter(
  access: MemberAccess,
  options: EntitledFilterOptions = {},
): EntitledFilter {
  const {rules} = resolveMemberAccessOptions(options)
  const params: Record<string, string[]> = {}
  const clauses = rules.grantableTypes.map(({type, slugField}) => {
    const param = `access_${type}`
    params[param] = [...(access.grants[type] ?? [])]
    return `(_type == ${JSON.stringify(type)} && coalesce(${slugField}.current, ${slugField}) in $${param})`
  })
  if (options.publicFilter) clauses.unshift(`(${options.publicFilter})`)
  return {filter: clauses.length > 0 ? `(${clauses.join(' || ')})` : 'false', params}
}

/**
 * GROQ for the plan and role ranks {@link readMemberAccess} and {@link can} compare with; turn
 * the result into `ranks` with {@link toRanks}. Ranks change rarely: cache the result.
 */
export const RANKS_QUERY = `{
  "plans": *[_type == "${CLERK_TYPES.plan}" && defined(key)]{key, rank},
  "roles": *[_type == "${CLERK_TYPES.role}" && defined(key)]{key, rank}
}`

interface RankRow {
  key?: unknown
  rank?: unknown
}

/** The result of {@link RANKS_QUERY} as {@link AccessRanks}; rows without a usable key are skipped. */
export function toRanks(result: {plans?: RankRow[] | null; roles?: RankRow[] | null}): AccessRanks {
  const table = (rows: RankRow[] | null | undefined) =>
    Object.fromEntries(
      (rows ?? [])
        .filter((row) => typeof row.key === 'string' && row.key !== '')
        .map((row) => [
          row.key as string,
          typeof row.rank === 'number' && Number.isFinite(row.rank) ? row.rank : 0,
        ]),
    )
  return {plans: table(result.plans), roles: table(result.roles)}
}
