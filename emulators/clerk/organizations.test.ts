import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'

let setup: EmulatorWithClient
beforeAll(async () => {
  setup = await startWithClient()
})
afterAll(() => setup.emulator.close())
beforeEach(() => setup.emulator.reset())

/** Seeds through the real SDK only: users, an organization with its creator, members. */
async function seedThroughSdk() {
  const {clerk} = setup
  const [ada, grace, alan] = await Promise.all(
    ['Ada', 'Grace', 'Alan'].map((firstName) =>
      clerk.users.createUser({
        firstName,
        lastName: 'Test',
        emailAddress: [`${firstName.toLowerCase()}@example.com`],
      }),
    ),
  )
  if (!ada || !grace || !alan) throw new Error('users were not created')
  const organization = await clerk.organizations.createOrganization({
    name: 'Orbit Labs',
    slug: 'orbit-labs',
    createdBy: ada.id,
    publicMetadata: {tier: 'team'},
  })
  await clerk.organizations.createOrganizationMembership({
    organizationId: organization.id,
    userId: grace.id,
    role: 'org:member',
  })
  return {ada, grace, alan, organization}
}

describe('organizations', () => {
  it('creates an organization whose creator becomes its admin', async () => {
    const {ada, organization} = await seedThroughSdk()
    expect(organization.id).toMatch(/^org_[0-9A-Za-z]{27}$/)
    expect(organization.slug).toBe('orbit-labs')
    const {data} = await setup.clerk.users.getOrganizationMembershipList({userId: ada.id})
    expect(data.map((membership) => [membership.organization.id, membership.role])).toEqual([
      [organization.id, 'org:admin'],
    ])
  })

  it('gets an organization by id or slug, with members_count only when asked', async () => {
    const {organization} = await seedThroughSdk()
    const byId = await setup.clerk.organizations.getOrganization({organizationId: organization.id})
    expect(byId.name).toBe('Orbit Labs')
    expect(byId.membersCount).toBeUndefined()
    const bySlug = await setup.clerk.organizations.getOrganization({
      slug: 'orbit-labs',
      includeMembersCount: true,
    })
    expect(bySlug.id).toBe(organization.id)
    expect(bySlug.membersCount).toBe(2)
    const error = await clerkError(setup.clerk.organizations.getOrganization({slug: 'nope'}))
    expect(error.status).toBe(404)
  })

  it('lists with partial name/slug query, paging and ordering', async () => {
    await seedThroughSdk()
    for (const name of ['Northwind Academy', 'Acme Learning', 'Acme Labs']) {
      await setup.clerk.organizations.createOrganization({name})
    }
    const acme = await setup.clerk.organizations.getOrganizationList({query: 'ACME'})
    expect(acme.data.map((organization) => organization.slug).sort()).toEqual([
      'acme-labs',
      'acme-learning',
    ])
    expect(acme.totalCount).toBe(2)
    const page = await setup.clerk.organizations.getOrganizationList({limit: 2, offset: 1})
    expect(page.data).toHaveLength(2)
    expect(page.totalCount).toBe(4)
    const byName = await setup.clerk.organizations.getOrganizationList({orderBy: 'name'})
    expect(byName.data.map((organization) => organization.name)).toEqual([
      'Acme Labs',
      'Acme Learning',
      'Northwind Academy',
      'Orbit Labs',
    ])
  })

  it('finds organizations by repeated organization_id, up to 100 per request', async () => {
    const created = []
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      created.push(await setup.clerk.organizations.createOrganization({name}))
    }
    const [alpha, , gamma] = created.map((organization) => organization.id) as [
      string,
      string,
      string,
    ]
    const found = await setup.clerk.organizations.getOrganizationList({
      organizationId: [alpha, 'org_2NotAnyOrganization00000000', gamma],
    })
    expect(found.data.map((organization) => organization.id)).toEqual([gamma, alpha])
    expect(found.totalCount).toBe(2)
    const tooMany = Array.from({length: 101}, (_, i) => `org_${i}`)
    const error = await clerkError(
      setup.clerk.organizations.getOrganizationList({organizationId: tooMany}),
    )
    expect(error.status).toBe(422)
    expect(error.errors[0]?.meta?.paramName).toBe('organization_id')
  })

  it('refuses a taken slug', async () => {
    await seedThroughSdk()
    const error = await clerkError(
      setup.clerk.organizations.createOrganization({name: 'Other', slug: 'orbit-labs'}),
    )
    expect(error.status).toBe(422)
    expect(error.errors[0]?.meta?.paramName).toBe('slug')
  })

  it('deep-merges and replaces organization metadata', async () => {
    const {organization} = await seedThroughSdk()
    const merged = await setup.clerk.organizations.updateOrganizationMetadata(organization.id, {
      publicMetadata: {access: {plan: 'pro', seats: 5}},
      privateMetadata: {billing: {id: 'b1'}},
    })
    expect(merged.publicMetadata).toEqual({tier: 'team', access: {plan: 'pro', seats: 5}})
    const pruned = await setup.clerk.organizations.updateOrganizationMetadata(organization.id, {
      publicMetadata: {access: {seats: null}, tier: null},
    })
    expect(pruned.publicMetadata).toEqual({access: {plan: 'pro'}})
    const replaced = await setup.clerk.organizations.replaceOrganizationMetadata(organization.id, {
      publicMetadata: {only: true},
    })
    expect(replaced.publicMetadata).toEqual({only: true})
    expect(replaced.privateMetadata).toEqual({billing: {id: 'b1'}})
  })

  it('deletes an organization and its memberships', async () => {
    const {ada, organization} = await seedThroughSdk()
    const deleted = await setup.clerk.organizations.deleteOrganization(organization.id)
    expect(deleted).toMatchObject({id: organization.id, deleted: true})
    const {totalCount} = await setup.clerk.users.getOrganizationMembershipList({userId: ada.id})
    expect(totalCount).toBe(0)
  })
})

describe('memberships', () => {
  it('lists members with the organization and public user data embedded', async () => {
    const {ada, grace, organization} = await seedThroughSdk()
    const {data, totalCount} = await setup.clerk.organizations.getOrganizationMembershipList({
      organizationId: organization.id,
    })
    expect(totalCount).toBe(2)
    expect(data.map((membership) => membership.id)).toEqual([
      expect.stringMatching(/^orgmem_[0-9A-Za-z]{27}$/),
      expect.stringMatching(/^orgmem_[0-9A-Za-z]{27}$/),
    ])
    const byUser = new Map(
      data.map((membership) => [membership.publicUserData?.userId, membership]),
    )
    expect(byUser.get(grace.id)?.role).toBe('org:member')
    expect(byUser.get(ada.id)?.role).toBe('org:admin')
    expect(byUser.get(ada.id)?.permissions).toContain('org:sys_memberships:manage')
    expect(byUser.get(grace.id)?.publicUserData?.identifier).toBe('grace@example.com')
    expect(byUser.get(grace.id)?.organization.slug).toBe('orbit-labs')
  })

  it('filters members by role and user id', async () => {
    const {grace, organization} = await seedThroughSdk()
    const admins = await setup.clerk.organizations.getOrganizationMembershipList({
      organizationId: organization.id,
      role: ['org:admin'],
    })
    expect(admins.data.map((m) => m.role)).toEqual(['org:admin'])
    const notGrace = await setup.clerk.organizations.getOrganizationMembershipList({
      organizationId: organization.id,
      userId: [`-${grace.id}`],
    })
    expect(notGrace.data.map((m) => m.publicUserData?.userId)).not.toContain(grace.id)
    expect(notGrace.totalCount).toBe(1)
  })

  it('lists every membership of the instance', async () => {
    const {organization, alan} = await seedThroughSdk()
    const other = await setup.clerk.organizations.createOrganization({name: 'Fjord'})
    await setup.clerk.organizations.createOrganizationMembership({
      organizationId: other.id,
      userId: alan.id,
      role: 'org:admin',
    })
    const {data, totalCount} =
      await setup.clerk.organizations.getInstanceOrganizationMembershipList({})
    expect(totalCount).toBe(3)
    expect(new Set(data.map((m) => m.organization.id))).toEqual(
      new Set([organization.id, other.id]),
    )
  })

  it('refuses a duplicate membership and unknown users or organizations', async () => {
    const {grace, organization} = await seedThroughSdk()
    const duplicate = await clerkError(
      setup.clerk.organizations.createOrganizationMembership({
        organizationId: organization.id,
        userId: grace.id,
        role: 'org:member',
      }),
    )
    expect(duplicate.status).toBe(422)
    const unknownUser = await clerkError(
      setup.clerk.organizations.createOrganizationMembership({
        organizationId: organization.id,
        userId: 'user_missing',
        role: 'org:member',
      }),
    )
    expect(unknownUser.status).toBe(404)
    const unknownOrganization = await clerkError(
      setup.clerk.organizations.getOrganizationMembershipList({organizationId: 'org_missing'}),
    )
    expect(unknownOrganization.status).toBe(404)
  })

  it('deep-merges membership metadata', async () => {
    const {grace, organization} = await seedThroughSdk()
    await setup.clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: organization.id,
      userId: grace.id,
      publicMetadata: {seat: {kind: 'full', since: 2026}},
    })
    const updated = await setup.clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: organization.id,
      userId: grace.id,
      publicMetadata: {seat: {since: null}},
    })
    expect(updated.publicMetadata).toEqual({seat: {kind: 'full'}})
  })

  it('removes a membership', async () => {
    const {grace, organization} = await seedThroughSdk()
    await setup.clerk.organizations.deleteOrganizationMembership({
      organizationId: organization.id,
      userId: grace.id,
    })
    const {totalCount} = await setup.clerk.users.getOrganizationMembershipList({userId: grace.id})
    expect(totalCount).toBe(0)
  })
})
