/**
 * The user list filters of `GET /users` and `GET /users/count`: exact filters (OR within one
 * parameter, AND across parameters), `+`/`-` id selections, case-insensitive partial queries and
 * time ranges.
 */
import type {UserJson} from './resources'

/** `user_id=+a&user_id=-b`: ids to keep (none = all) and ids to drop. */
export interface IdSelection {
  include: string[]
  exclude: string[]
}

export interface UserFilter {
  emailAddresses?: string[]
  phoneNumbers?: string[]
  usernames?: string[]
  web3Wallets?: string[]
  userIds?: IdSelection
  externalIds?: IdSelection
  organizationIds?: IdSelection
  query?: string
  emailAddressQuery?: string
  phoneNumberQuery?: string
  usernameQuery?: string
  nameQuery?: string
  banned?: boolean
  createdAtBefore?: number
  createdAtAfter?: number
  lastActiveAtBefore?: number
  lastActiveAtAfter?: number
  lastSignInAtBefore?: number
  lastSignInAtAfter?: number
}

/** What the filter needs to know about a user beyond its JSON. */
export interface FilterableUser {
  json: UserJson
  /** Lowercased emails, phones, username, id, names and "first last", joined by newlines. */
  search: string
  /** Ids of the organizations the user belongs to. */
  organizationIds: () => Iterable<string>
}

/** Splits `+id` / `-id` / `id` values into a selection. */
export function parseIdSelection(values: string[]): IdSelection {
  const selection: IdSelection = {include: [], exclude: []}
  for (const value of values) {
    if (value.startsWith('-')) selection.exclude.push(value.slice(1))
    else selection.include.push(value.startsWith('+') ? value.slice(1) : value)
  }
  return selection
}

/** The lowercased haystack `query` searches in. */
export function searchTextOf(user: UserJson): string {
  const parts = [
    user.id,
    user.username,
    user.first_name,
    user.last_name,
    [user.first_name, user.last_name].filter(Boolean).join(' '),
    ...user.email_addresses.map((e) => e.email_address),
    ...user.phone_numbers.map((p) => p.phone_number),
  ]
  return parts
    .filter((part): part is string => Boolean(part))
    .join('\n')
    .toLowerCase()
}

function selects(selection: IdSelection, value: string | null): boolean {
  if (value !== null && selection.exclude.includes(value)) return false
  return selection.include.length === 0 || (value !== null && selection.include.includes(value))
}

function selectsAny(selection: IdSelection, values: () => Iterable<string>): boolean {
  const held = [...values()]
  if (held.some((value) => selection.exclude.includes(value))) return false
  return selection.include.length === 0 || held.some((value) => selection.include.includes(value))
}

function contains(haystack: string | null | undefined, needle: string): boolean {
  return (haystack ?? '').toLowerCase().includes(needle.toLowerCase())
}

function inRange(value: number | null, before?: number, after?: number): boolean {
  if (value === null) return false
  return (before === undefined || value < before) && (after === undefined || value > after)
}

type Check = (user: FilterableUser) => boolean

/**
 * Compiles a filter into a predicate that runs only the checks the filter asks for, since a
 * count scans every user; an empty filter accepts everyone.
 */
export function compileUserFilter(filter: UserFilter): (user: FilterableUser) => boolean {
  const checks: Check[] = []
  const emails = filter.emailAddresses?.map((email) => email.toLowerCase())
  if (emails)
    checks.push(({json}) => json.email_addresses.some((e) => emails.includes(e.email_address)))
  const {phoneNumbers, usernames, userIds, externalIds, organizationIds} = filter
  if (phoneNumbers) {
    checks.push(({json}) => json.phone_numbers.some((p) => phoneNumbers.includes(p.phone_number)))
  }
  if (usernames)
    checks.push(({json}) => json.username !== null && usernames.includes(json.username))
  // Emulated users hold no web3 wallets, so a wallet filter matches nobody.
  if (filter.web3Wallets) checks.push(() => false)
  if (userIds) checks.push(({json}) => selects(userIds, json.id))
  if (externalIds) checks.push(({json}) => selects(externalIds, json.external_id))
  if (organizationIds) {
    checks.push((user) => selectsAny(organizationIds, user.organizationIds))
  }
  if (filter.query !== undefined) {
    const query = filter.query.toLowerCase()
    checks.push(({search}) => search.includes(query))
  }
  const {emailAddressQuery, phoneNumberQuery, usernameQuery, nameQuery, banned} = filter
  if (emailAddressQuery !== undefined) {
    checks.push(({json}) =>
      json.email_addresses.some((e) => contains(e.email_address, emailAddressQuery)),
    )
  }
  if (phoneNumberQuery !== undefined) {
    checks.push(({json}) =>
      json.phone_numbers.some((p) => contains(p.phone_number, phoneNumberQuery)),
    )
  }
  if (usernameQuery !== undefined) checks.push(({json}) => contains(json.username, usernameQuery))
  if (nameQuery !== undefined) {
    checks.push(({json}) =>
      contains([json.first_name, json.last_name].filter(Boolean).join(' '), nameQuery),
    )
  }
  if (banned !== undefined) checks.push(({json}) => json.banned === banned)
  const ranges: [(user: FilterableUser) => number | null, number?, number?][] = [
    [({json}) => json.created_at, filter.createdAtBefore, filter.createdAtAfter],
    [({json}) => json.last_active_at, filter.lastActiveAtBefore, filter.lastActiveAtAfter],
    [({json}) => json.last_sign_in_at, filter.lastSignInAtBefore, filter.lastSignInAtAfter],
  ]
  for (const [read, before, after] of ranges) {
    if (before !== undefined || after !== undefined) {
      checks.push((user) => inRange(read(user), before, after))
    }
  }
  return (user) => checks.every((check) => check(user))
}

/** Fields `order_by` accepts for users, with how to read each. */
export const USER_SORT_KEYS = {
  created_at: (user: UserJson) => user.created_at,
  updated_at: (user: UserJson) => user.updated_at,
  last_active_at: (user: UserJson) => user.last_active_at,
  last_sign_in_at: (user: UserJson) => user.last_sign_in_at,
  first_name: (user: UserJson) => user.first_name?.toLowerCase() ?? null,
  last_name: (user: UserJson) => user.last_name?.toLowerCase() ?? null,
  username: (user: UserJson) => user.username,
  email_address: (user: UserJson) =>
    user.email_addresses.find((e) => e.id === user.primary_email_address_id)?.email_address ?? null,
  phone_number: (user: UserJson) =>
    user.phone_numbers.find((p) => p.id === user.primary_phone_number_id)?.phone_number ?? null,
  web3wallet: () => null,
} satisfies Record<string, (user: UserJson) => string | number | null>

export type UserSortKey = keyof typeof USER_SORT_KEYS

/** Compares sort values like Postgres: nulls last ascending (and so first descending). */
export function compareSortValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}
