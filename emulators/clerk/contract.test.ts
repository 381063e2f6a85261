/**
 * Every response body the emulator sends, validated against the schemas of Clerk's official
 * OpenAPI spec (2026-05-12), vendored by extract-spec-schemas.ts into spec-schemas.json.
 */
import {Ajv, type ValidateFunction} from 'ajv'
import {createClerkClient as createClerkClientV2} from 'clerk-backend-v2'
import specSchemas from './spec-schemas.json'
import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'

/** The spec schema of each route's 200 body; every error body must be `ClerkErrors`. */
const SCHEMA_BY_ROUTE: Record<string, string> = {
  'GET /users': 'UserList',
  'GET /users/count': 'TotalCount',
  'POST /users': 'User',
  'GET /users/:userId': 'User',
  'PATCH /users/:userId': 'User',
  'DELETE /users/:userId': 'DeletedObject',
  'PATCH /users/:userId/metadata': 'User',
  'PUT /users/:userId/metadata': 'User',
  'GET /users/:userId/organization_memberships': 'OrganizationMemberships',
  'GET /organizations': 'Organizations',
  'POST /organizations': 'Organization',
  'GET /organizations/:organizationId': 'Organization',
  'PATCH /organizations/:organizationId': 'Organization',
  'DELETE /organizations/:organizationId': 'DeletedObject',
  'PATCH /organizations/:organizationId/metadata': 'Organization',
  'PUT /organizations/:organizationId/metadata': 'Organization',
  'GET /organizations/:organizationId/memberships': 'OrganizationMemberships',
  'POST /organizations/:organizationId/memberships': 'OrganizationMembership',
  'DELETE /organizations/:organizationId/memberships/:userId': 'OrganizationMembership',
  'PATCH /organizations/:organizationId/memberships/:userId/metadata': 'OrganizationMembership',
  'GET /organization_memberships': 'OrganizationMemberships',
  'GET /jwks': 'JWKS',
  'POST /sessions': 'Session',
  'GET /sessions': 'PaginatedSessionList',
  'GET /sessions/:sessionId': 'Session',
  'POST /sessions/:sessionId/revoke': 'Session',
  'POST /sessions/:sessionId/tokens': 'Token',
  'POST /sessions/:sessionId/tokens/:template': 'Token',
  'POST /invitations': 'Invitation',
  'GET /invitations': 'InvitationPage',
  'POST /invitations/:invitationId/revoke': 'Invitation',
  'POST /email_addresses': 'EmailAddress',
  'GET /email_addresses/:emailAddressId': 'EmailAddress',
  'PATCH /email_addresses/:emailAddressId': 'EmailAddress',
}

/**
 * The spec's invitation list is a bare `Invitation` array; with `paginated=true` (which the SDK
 * always sends) Clerk wraps it as every paginated list: `{data, total_count}`.
 */
const schemas = {
  ...specSchemas,
  definitions: {
    ...specSchemas.definitions,
    InvitationPage: {
      type: 'object',
      additionalProperties: false,
      properties: {
        data: {type: 'array', items: {$ref: '#/definitions/Invitation'}},
        total_count: {type: 'integer'},
      },
      required: ['data', 'total_count'],
    },
  },
}

let setup: EmulatorWithClient
const validators = new Map<string, ValidateFunction>()
beforeAll(async () => {
  setup = await startWithClient({seed: {users: 30, organizations: 3, seed: 'contract'}})
  // The spec lists some required properties it never defines; everything else stays strict.
  const ajv = new Ajv({strict: true, strictRequired: false, allErrors: true})
  ajv.addSchema(schemas, 'clerk')
  for (const name of [...new Set(Object.values(SCHEMA_BY_ROUTE)), 'ClerkErrors']) {
    const validate = ajv.getSchema(`clerk#/definitions/${name}`)
    if (!validate) throw new Error(`no schema ${name} in spec-schemas.json`)
    validators.set(name, validate)
  }
})
afterAll(() => setup.emulator.close())

/** Drives every route, including failures, through the SDKs (and raw where they cannot). */
async function exerciseEveryRoute() {
  const {clerk, emulator} = setup
  const v2 = createClerkClientV2({secretKey: emulator.secretKey, apiUrl: emulator.url})
  await clerk.users.getUserList({limit: 30, orderBy: '-updated_at'})
  await clerk.users.getUserList({query: 'example', includeMembersCount: true} as {query: string})
  const user = await clerk.users.createUser({
    firstName: 'Contract',
    lastName: 'Tester',
    emailAddress: ['contract@example.com'],
    phoneNumber: ['+15550001111'],
    username: 'contract_tester',
    externalId: 'ext-contract',
    publicMetadata: {plan: 'pro'},
  })
  await clerk.users.getUser(user.id)
  await clerk.users.updateUser(user.id, {firstName: 'Renamed', publicMetadata: {plan: 'team'}})
  await v2.users.updateUser(user.id, {publicMetadata: {legacy: true}})
  await clerk.users.updateUserMetadata(user.id, {publicMetadata: {plan: null, nested: {a: 1}}})
  await clerk.users.replaceUserMetadata(user.id, {privateMetadata: {p: 1}})
  const organization = await clerk.organizations.createOrganization({
    name: 'Contract Org',
    createdBy: user.id,
  })
  await clerk.organizations.getOrganization({slug: organization.slug, includeMembersCount: true})
  await clerk.organizations.getOrganizationList({includeMembersCount: true, query: 'contract'})
  await clerk.organizations.updateOrganization(organization.id, {name: 'Contract Org 2'})
  await clerk.organizations.updateOrganizationMetadata(organization.id, {publicMetadata: {a: 1}})
  await clerk.organizations.replaceOrganizationMetadata(organization.id, {privateMetadata: {}})
  const [other] = (await clerk.users.getUserList({limit: 1, offset: 3})).data
  if (!other) throw new Error('the seed has users')
  await clerk.organizations.createOrganizationMembership({
    organizationId: organization.id,
    userId: other.id,
    role: 'org:member',
  })
  await clerk.organizations.updateOrganizationMembershipMetadata({
    organizationId: organization.id,
    userId: other.id,
    publicMetadata: {seat: 1},
  })
  await clerk.organizations.getOrganizationMembershipList({organizationId: organization.id})
  await clerk.users.getOrganizationMembershipList({userId: user.id})
  await clerk.organizations.getInstanceOrganizationMembershipList({limit: 100})
  await clerk.organizations.deleteOrganizationMembership({
    organizationId: organization.id,
    userId: other.id,
  })
  emulator.sessions.setJwtTemplate('contract', {claims: {email: '{{user.primary_email_address}}'}})
  const session = await clerk.sessions.createSession({userId: user.id})
  await clerk.sessions.getSession(session.id)
  await clerk.sessions.getSessionList({userId: user.id})
  await clerk.sessions.getToken(session.id)
  await clerk.sessions.getToken(session.id, 'contract', 60)
  await clerk.jwks.getJwks()
  await clerk.sessions.revokeSession(session.id)
  await clerkError(clerk.sessions.getToken(session.id))
  await clerk.organizations.deleteOrganization(organization.id)
  const invitation = await clerk.invitations.createInvitation({
    emailAddress: 'invitee@example.com',
    redirectUrl: 'https://app.example.com/welcome',
    expiresInDays: 7,
  })
  await clerk.invitations.getInvitationList({status: 'pending', query: 'invitee'})
  await clerk.invitations.revokeInvitation(invitation.id)
  const address = await clerk.emailAddresses.createEmailAddress({
    userId: user.id,
    emailAddress: 'second@example.com',
    verified: false,
  })
  await clerk.emailAddresses.getEmailAddress(address.id)
  await clerk.emailAddresses.updateEmailAddress(address.id, {verified: true})
  await clerk.users.deleteUser(user.id)

  // Failures: every one must still be a valid ClerkErrors body.
  await clerkError(clerk.users.getUser(user.id))
  await clerkError(clerk.users.createUser({emailAddress: ['not an email']}))
  await clerkError(clerk.organizations.getOrganization({organizationId: 'org_missing'}))
  await clerkError(clerk.users.getUserList({orderBy: 'nonsense' as 'created_at'}))
  await clerkError(clerk.invitations.revokeInvitation(invitation.id))
  await clerkError(clerk.invitations.createInvitation({emailAddress: 'not an email'}))
  await clerkError(clerk.emailAddresses.getEmailAddress('idn_missing'))
  emulator.faults.add({path: '/v1/users/count', fault: {type: 'status', status: 429}})
  await clerkError(clerk.users.getCount())
  const wrongKey = createClerkClientV2({secretKey: 'sk_test_wrong', apiUrl: emulator.url})
  await clerkError(wrongKey.users.getCount())
  await fetch(`${emulator.url}/v1/unknown`, {
    headers: {Authorization: `Bearer ${emulator.secretKey}`},
  })
  await fetch(`${emulator.url}/v1/users`, {
    method: 'POST',
    headers: {Authorization: `Bearer ${emulator.secretKey}`},
    body: '{broken',
  })
}

describe('responses match the official Clerk spec', () => {
  it('validates every response body the emulator sent', async () => {
    setup.emulator.clearLog()
    await exerciseEveryRoute()
    const problems: string[] = []
    const covered = new Set<string>()
    for (const entry of setup.emulator.log) {
      const ok = entry.status >= 200 && entry.status < 300
      const schema = ok ? SCHEMA_BY_ROUTE[entry.route ?? ''] : 'ClerkErrors'
      if (!schema) {
        problems.push(`${entry.method} ${entry.path}: no schema for route ${entry.route}`)
        continue
      }
      if (ok && entry.route) covered.add(entry.route)
      const validate = validators.get(schema) as ValidateFunction
      if (!validate(JSON.parse(entry.responseBody))) {
        problems.push(
          `${entry.method} ${entry.path} (${entry.status}) is not a ${schema}: ` +
            JSON.stringify(validate.errors?.slice(0, 3)),
        )
      }
    }
    expect(problems).toEqual([])
    expect([...covered].sort()).toEqual(Object.keys(SCHEMA_BY_ROUTE).sort())
    expect(setup.emulator.log.filter((entry) => entry.status >= 400).length).toBeGreaterThanOrEqual(
      8,
    )
  })

  it('catches a response that breaks the spec (the check can fail)', () => {
    const validate = validators.get('User') as ValidateFunction
    const user = setup.emulator.store.listUsers(
      {},
      {key: 'created_at', descending: true},
      {limit: 1, offset: 0},
    )[0]
    expect(validate(user)).toBe(true)
    const {email_addresses: _dropped, ...withoutEmails} = user as object as Record<string, unknown>
    expect(validate(withoutEmails)).toBe(false)
    expect(validate({...user, created_at: '2026-01-01'})).toBe(false)
  })
})
