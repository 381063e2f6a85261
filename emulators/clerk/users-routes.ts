/** `/v1/users…` routes. */
import {notFound, paramUnknown} from './errors'
import {readMetadataUpdate, type MetadataField} from './metadata'
import {metadataRoute} from './metadata-routes'
import {
  readBoolean,
  readFilterList,
  readInteger,
  readOrder,
  readPage,
  readString,
  readTimestamp,
  validateBody,
} from './params'
import type {TotalCountJson} from './resources'
import type {Router, RouteContext} from './router'
import type {CreateUserInput, UpdateUserInput} from './store'
import {parseIdSelection, USER_SORT_KEYS, type UserFilter, type UserSortKey} from './user-filter'

const USER_METADATA: readonly MetadataField[] = [
  'public_metadata',
  'private_metadata',
  'unsafe_metadata',
]

/**
 * The newest `Clerk-API-Version` under which `PATCH /users/{id}` still takes metadata (and
 * replaces it). Requests without the header are treated as the oldest version, like any client
 * that predates versioning.
 */
export const LAST_VERSION_WITH_METADATA_ON_UPDATE = '2025-11-10'

export function acceptsMetadataOnUpdate(apiVersion: string | undefined): boolean {
  return apiVersion === undefined || apiVersion <= LAST_VERSION_WITH_METADATA_ON_UPDATE
}

function readUserFilter(query: URLSearchParams): UserFilter {
  const selection = (name: string) => {
    const values = readFilterList(query, name)
    return values && parseIdSelection(values)
  }
  const entries: [keyof UserFilter, unknown][] = [
    ['emailAddresses', readFilterList(query, 'email_address')],
    ['phoneNumbers', readFilterList(query, 'phone_number')],
    ['usernames', readFilterList(query, 'username')],
    ['web3Wallets', readFilterList(query, 'web3_wallet')],
    ['userIds', selection('user_id')],
    ['externalIds', selection('external_id')],
    ['organizationIds', selection('organization_id')],
    ['query', readString(query, 'query')],
    ['emailAddressQuery', readString(query, 'email_address_query')],
    ['phoneNumberQuery', readString(query, 'phone_number_query')],
    ['usernameQuery', readString(query, 'username_query')],
    ['nameQuery', readString(query, 'name_query')],
    ['banned', readBoolean(query, 'banned')],
    ['createdAtBefore', readInteger(query, 'created_at_before')],
    ['createdAtAfter', readInteger(query, 'created_at_after')],
    ['lastActiveAtBefore', readInteger(query, 'last_active_at_before')],
    ['lastActiveAtAfter', readInteger(query, 'last_active_at_after')],
    ['lastSignInAtBefore', readInteger(query, 'last_sign_in_at_before')],
    ['lastSignInAtAfter', readInteger(query, 'last_sign_in_at_after')],
  ]
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as UserFilter
}

const CREATE_USER_FIELDS = {
  external_id: 'string',
  first_name: 'string',
  last_name: 'string',
  locale: 'string',
  email_address: 'string[]',
  phone_number: 'string[]',
  username: 'string',
  password: 'string',
  skip_password_checks: 'boolean',
  skip_password_requirement: 'boolean',
  skip_legal_checks: 'boolean',
  skip_user_requirement: 'boolean',
  public_metadata: 'object',
  private_metadata: 'object',
  unsafe_metadata: 'object',
  delete_self_enabled: 'boolean',
  create_organization_enabled: 'boolean',
  create_organizations_limit: 'integer',
  created_at: 'string',
  banned: 'boolean',
  locked: 'boolean',
} as const

const UPDATE_USER_FIELDS = {
  external_id: 'string',
  first_name: 'string',
  last_name: 'string',
  locale: 'string',
  username: 'string',
  primary_email_address_id: 'string',
  delete_self_enabled: 'boolean',
  create_organization_enabled: 'boolean',
  create_organizations_limit: 'integer',
  public_metadata: 'object',
  private_metadata: 'object',
  unsafe_metadata: 'object',
} as const

function createUser({body, store}: RouteContext) {
  const input = validateBody<CreateUserInput & {created_at?: unknown}>(body, CREATE_USER_FIELDS)
  const createdAt = readTimestamp(input.created_at, 'created_at')
  const {created_at: _createdAt, ...rest} = input
  return store.createUser({...rest, ...(createdAt !== undefined && {created_at: createdAt})})
}

function updateUser({params, body, apiVersion, store}: RouteContext) {
  const input = validateBody<UpdateUserInput>(body, UPDATE_USER_FIELDS)
  const metadataFields = USER_METADATA.filter((field) => field in body)
  if (metadataFields.length > 0 && !acceptsMetadataOnUpdate(apiVersion)) {
    // Since 2026-05-12 metadata goes through /users/{id}/metadata only.
    throw paramUnknown(metadataFields[0] as string)
  }
  const changes = Object.fromEntries(
    Object.entries(input).filter(([name]) => !USER_METADATA.includes(name as MetadataField)),
  )
  // Older API versions replace each supplied metadata field: the long-standing footgun.
  return store.updateUser(
    params.userId as string,
    changes,
    readMetadataUpdate(body, metadataFields, 'replace'),
  )
}

export function addUserRoutes(router: Router): Router {
  return router
    .add('GET', '/users', ({query, store}) =>
      store.listUsers(
        readUserFilter(query),
        readOrder(query, Object.keys(USER_SORT_KEYS) as UserSortKey[], {
          key: 'created_at',
          descending: true,
        }),
        readPage(query),
      ),
    )
    .add('GET', '/users/count', ({query, store}): TotalCountJson => ({
      object: 'total_count',
      total_count: store.countUsers(readUserFilter(query)),
    }))
    .add('POST', '/users', createUser)
    .add('GET', '/users/:userId', ({params, store}) => {
      const user = store.getUser(params.userId as string)
      if (!user) throw notFound('User')
      return user
    })
    .add('PATCH', '/users/:userId', updateUser)
    .add('DELETE', '/users/:userId', ({params, store}) => store.deleteUser(params.userId as string))
    .add('PATCH', '/users/:userId/metadata', metadataRoute('userId', USER_METADATA, 'merge'))
    .add('PUT', '/users/:userId/metadata', metadataRoute('userId', USER_METADATA, 'replace'))
    .add('GET', '/users/:userId/organization_memberships', ({params, query, store}) => {
      const {data, totalCount} = store.listMemberships(
        {userId: params.userId as string},
        {key: 'created_at', descending: true},
        readPage(query),
      )
      return {data, total_count: totalCount}
    })
}
