/** `/v1/organizations…` and `/v1/organization_memberships` routes. */
import {notFound, paramUnknown} from './errors'
import {readMetadataUpdate, type MetadataField} from './metadata'
import {metadataRoute} from './metadata-routes'
import {
  readBoolean,
  readFilterList,
  readList,
  readOrder,
  readPage,
  readString,
  readTimestamp,
  validateBody,
} from './params'
import type {OrganizationJson, PaginatedJson} from './resources'
import type {RouteContext, Router} from './router'
import type {
  AddMembershipInput,
  ClerkStore,
  CreateOrganizationInput,
  MembershipSortKey,
  UpdateOrganizationInput,
} from './store'
import {parseIdSelection} from './user-filter'
import {acceptsMetadataOnUpdate} from './users-routes'

const ORGANIZATION_METADATA: readonly MetadataField[] = ['public_metadata', 'private_metadata']
const METADATA_BODY = {public_metadata: 'object', private_metadata: 'object'} as const
const MEMBERSHIP_SORT_KEYS: readonly MembershipSortKey[] = [
  'created_at',
  'first_name',
  'last_name',
  'username',
  'email_address',
  'phone_number',
]
const NEWEST_FIRST = {key: 'created_at', descending: true} as const

/** `members_count` appears only when asked for, as in Clerk. */
function withMembersCount(
  organization: OrganizationJson,
  query: URLSearchParams,
  store: ClerkStore,
): OrganizationJson {
  if (!readBoolean(query, 'include_members_count')) return organization
  return {...organization, members_count: store.membersCount(organization.id)}
}

function paginated<T>({data, totalCount}: {data: T[]; totalCount: number}): PaginatedJson<T> {
  return {data, total_count: totalCount}
}

function selection(query: URLSearchParams, name: string, read = readList) {
  const values = read(query, name)
  return values && parseIdSelection(values)
}

function listOrganizations({query, store}: RouteContext): PaginatedJson<OrganizationJson> {
  const search = readString(query, 'query')
  // Clerk's spec: "Accepts up to 100 organization IDs".
  const organizationIds = selection(query, 'organization_id', readFilterList)
  const userIds = selection(query, 'user_id')
  const {data, totalCount} = store.listOrganizations(
    {
      ...(search !== undefined && {query: search}),
      ...(organizationIds && {organizationIds}),
      ...(userIds && {userIds}),
    },
    readOrder(query, ['created_at', 'name', 'members_count'], NEWEST_FIRST),
    readPage(query),
  )
  return {
    data: data.map((organization) => withMembersCount(organization, query, store)),
    total_count: totalCount,
  }
}

function createOrganization({body, store}: RouteContext) {
  const input = validateBody<CreateOrganizationInput & {created_at?: unknown}>(
    body,
    {
      name: 'string',
      slug: 'string',
      created_by: 'string',
      public_metadata: 'object',
      private_metadata: 'object',
      max_allowed_memberships: 'integer',
      created_at: 'string',
      role_set_key: 'string',
    },
    ['name'],
  )
  const createdAt = readTimestamp(input.created_at, 'created_at')
  const {created_at: _createdAt, ...rest} = input
  return store.createOrganization({
    ...rest,
    ...(createdAt !== undefined && {created_at: createdAt}),
  })
}

function updateOrganization({params, body, apiVersion, store}: RouteContext) {
  const input = validateBody<UpdateOrganizationInput>(body, {
    name: 'string',
    slug: 'string',
    max_allowed_memberships: 'integer',
    admin_delete_enabled: 'boolean',
    public_metadata: 'object',
    private_metadata: 'object',
  })
  const metadataFields = ORGANIZATION_METADATA.filter((field) => field in body)
  if (metadataFields.length > 0 && !acceptsMetadataOnUpdate(apiVersion)) {
    throw paramUnknown(metadataFields[0] as string)
  }
  const changes = Object.fromEntries(
    Object.entries(input).filter(
      ([name]) => !ORGANIZATION_METADATA.includes(name as MetadataField),
    ),
  )
  return store.updateOrganization(
    params.organizationId as string,
    changes,
    readMetadataUpdate(body, metadataFields, 'replace'),
  )
}

function listMemberships({params, query, store}: RouteContext) {
  const userIds = selection(query, 'user_id')
  const emailAddresses = readList(query, 'email_address')
  const roles = readList(query, 'role')
  const search = readString(query, 'query')
  return paginated(
    store.listMemberships(
      {
        organizationId: params.organizationId as string,
        ...(userIds && {userIds}),
        ...(emailAddresses && {emailAddresses}),
        ...(roles && {roles}),
        ...(search !== undefined && {query: search}),
      },
      readOrder(query, MEMBERSHIP_SORT_KEYS, NEWEST_FIRST),
      readPage(query),
    ),
  )
}

function createMembership({params, body, store}: RouteContext) {
  const input = validateBody<Omit<AddMembershipInput, 'organization_id'>>(
    body,
    {user_id: 'string', role: 'string', public_metadata: 'object', private_metadata: 'object'},
    ['user_id', 'role'],
  )
  const organization = store.getOrganization(params.organizationId as string)
  if (!organization) throw notFound('Organization')
  return store.addMembership({...input, organization_id: organization.id})
}

export function addOrganizationRoutes(router: Router): Router {
  return router
    .add('GET', '/organizations', listOrganizations)
    .add('POST', '/organizations', createOrganization)
    .add('GET', '/organizations/:organizationId', ({params, query, store}) => {
      const organization = store.getOrganization(params.organizationId as string)
      if (!organization) throw notFound('Organization')
      return withMembersCount(organization, query, store)
    })
    .add('PATCH', '/organizations/:organizationId', updateOrganization)
    .add('DELETE', '/organizations/:organizationId', ({params, store}) =>
      store.deleteOrganization(params.organizationId as string),
    )
    .add(
      'PATCH',
      '/organizations/:organizationId/metadata',
      metadataRoute('organizationId', ORGANIZATION_METADATA, 'merge'),
    )
    .add(
      'PUT',
      '/organizations/:organizationId/metadata',
      metadataRoute('organizationId', ORGANIZATION_METADATA, 'replace'),
    )
    .add('GET', '/organizations/:organizationId/memberships', listMemberships)
    .add('POST', '/organizations/:organizationId/memberships', createMembership)
    .add('DELETE', '/organizations/:organizationId/memberships/:userId', ({params, store}) =>
      store.removeMembership(params.organizationId as string, params.userId as string),
    )
    .add(
      'PATCH',
      '/organizations/:organizationId/memberships/:userId/metadata',
      ({params, body, store}) =>
        store.updateMembershipMetadata(
          params.organizationId as string,
          params.userId as string,
          readMetadataUpdate(validateBody(body, METADATA_BODY), ORGANIZATION_METADATA, 'merge'),
        ),
    )
    .add('GET', '/organization_memberships', ({query, store}) =>
      paginated(
        store.listMemberships(
          {},
          readOrder(query, MEMBERSHIP_SORT_KEYS, NEWEST_FIRST),
          readPage(query),
        ),
      ),
    )
}
