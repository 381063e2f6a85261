import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'

let setup: EmulatorWithClient
beforeAll(async () => {
  setup = await startWithClient({seed: {users: 60, organizations: 3, seed: 'users-test'}})
})
afterAll(() => setup.emulator.close())

describe('listing users through @clerk/backend', () => {
  it('returns {data, totalCount} of User objects, newest first, 10 by default', async () => {
    const {data, totalCount} = await setup.clerk.users.getUserList()
    expect(totalCount).toBe(setup.emulator.store.counts.users)
    expect(data).toHaveLength(10)
    // Deserialized into the SDK's User class: camelCase fields and getters, no wire names.
    expect(data[0]).not.toHaveProperty('first_name')
    expect(data[0]?.fullName).toEqual(expect.any(String))
    expect(data[0]?.primaryEmailAddress?.emailAddress).toMatch(/@example\.(com|org|net)$/)
    const created = data.map((user) => user.createdAt)
    expect(created).toEqual([...created].sort((a, b) => b - a))
  })

  it('sends the list and the count as two requests', async () => {
    setup.emulator.clearLog()
    await setup.clerk.users.getUserList({limit: 2})
    const paths = setup.emulator.log.map((entry) => entry.path).sort()
    expect(paths).toEqual(['/v1/users', '/v1/users/count'])
  })

  it('pages with limit and offset without gaps or repeats', async () => {
    const total = setup.emulator.store.counts.users
    const seen: string[] = []
    for (let offset = 0; offset < total; offset += 25) {
      const {data} = await setup.clerk.users.getUserList({limit: 25, offset})
      seen.push(...data.map((user) => user.id))
    }
    expect(seen).toHaveLength(total)
    expect(new Set(seen).size).toBe(total)
  })

  it('falls back to 10 rows when limit exceeds 500', async () => {
    const {data} = await setup.clerk.users.getUserList({limit: 501})
    expect(data).toHaveLength(10)
  })

  it('orders by the requested field and direction', async () => {
    const oldest = await setup.clerk.users.getUserList({orderBy: '+created_at', limit: 5})
    const times = oldest.data.map((user) => user.createdAt)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    const byName = await setup.clerk.users.getUserList({orderBy: '-first_name', limit: 60})
    const names = byName.data.map((user) => (user.firstName ?? '').toLowerCase())
    expect(names).toEqual([...names].sort().reverse())
  })

  it('rejects an unknown order_by field with a 422', async () => {
    const error = await clerkError(
      setup.clerk.users.getUserList({orderBy: 'shoe_size' as 'created_at'}),
    )
    expect(error.status).toBe(422)
    expect(error.errors[0]?.meta?.paramName).toBe('order_by')
  })
})

describe('filters and count', () => {
  it('matches email_address exactly but case-insensitively', async () => {
    const [user] = setup.emulator.store.listUsers(
      {},
      {key: 'created_at', descending: true},
      {limit: 1, offset: 7},
    )
    const email = user?.email_addresses[0]?.email_address as string
    const {data, totalCount} = await setup.clerk.users.getUserList({
      emailAddress: [email.toUpperCase()],
    })
    expect(data.map((found) => found.id)).toEqual([user?.id])
    expect(totalCount).toBe(1)
    const partial = await setup.clerk.users.getUserList({emailAddress: [email.slice(1)]})
    expect(partial.totalCount).toBe(0)
  })

  it('finds users by partial, case-insensitive query over names, "first last", email and id', async () => {
    const created = await setup.clerk.users.createUser({
      firstName: 'Zebulon',
      lastName: 'Quaxley',
      emailAddress: ['zq.unique@example.com'],
      phoneNumber: ['+15559990001'],
      username: 'zquax',
    })
    for (const query of [
      'ZEBUL',
      'on quax',
      'zq.UNIQUE@',
      created.id.slice(5, 15),
      '5559990',
      'zqua',
    ]) {
      const {data, totalCount} = await setup.clerk.users.getUserList({query})
      expect({query, ids: data.map((user) => user.id)}).toEqual({query, ids: [created.id]})
      expect(totalCount).toBe(1)
    }
  })

  it('keeps query results current through renames and deletes', async () => {
    const search = async (query: string) =>
      (await setup.clerk.users.getUserList({query})).data.map((user) => user.id)
    const user = await setup.clerk.users.createUser({
      firstName: 'Quentin',
      lastName: 'Zorkmid',
      emailAddress: ['qz@example.com'],
    })
    expect(await search('zorkmid')).toEqual([user.id])
    await setup.clerk.users.updateUser(user.id, {lastName: 'Flathead'})
    expect(await search('zorkmid')).toEqual([])
    expect(await search('quentin flathead')).toEqual([user.id])
    await setup.clerk.users.deleteUser(user.id)
    expect(await search('flathead')).toEqual([])
  })

  it('includes and excludes user ids with + and - prefixes, and counts the same way', async () => {
    const {data} = await setup.clerk.users.getUserList({limit: 3})
    const [first, second, third] = data.map((user) => user.id) as [string, string, string]
    const included = await setup.clerk.users.getUserList({userId: [first, `+${second}`]})
    expect(included.data.map((user) => user.id).sort()).toEqual([first, second].sort())
    expect(included.totalCount).toBe(2)
    const total = await setup.clerk.users.getCount()
    const excluded = await setup.clerk.users.getCount({userId: [`-${third}`]})
    expect(excluded).toBe(total - 1)
  })

  it('finds users by repeated user_id, newest first, ignoring unknown ids, up to 100 per request', async () => {
    const newest = setup.emulator.store.listUsers(
      {},
      {key: 'created_at', descending: true},
      {limit: 100, offset: 0},
    )
    const [a, b, c] = [newest[40]!.id, newest[2]!.id, newest[17]!.id]
    setup.emulator.clearLog()
    const found = await setup.clerk.users.getUserList({
      userId: [a, 'user_2NotAnyoneAtAll000000000000', b, c],
      limit: 100,
    })
    // Clerk's order (-created_at), not the order the ids were asked in.
    expect(found.data.map((user) => user.id)).toEqual([b, c, a])
    expect(found.totalCount).toBe(3)
    const list = setup.emulator.log.find((entry) => entry.path === '/v1/users')
    expect(list?.query.user_id).toEqual([a, 'user_2NotAnyoneAtAll000000000000', b, c])

    const existing = newest.map((user) => user.id)
    const hundred = [
      ...existing,
      ...Array.from({length: 100 - existing.length}, (_, i) => `user_unknown${i}`),
    ]
    const all = await setup.clerk.users.getUserList({userId: hundred, limit: 100})
    expect(all.data.map((user) => user.id)).toEqual(existing)
    for (const call of [
      setup.clerk.users.getUserList({userId: [...hundred, 'user_one_too_many'], limit: 100}),
      setup.clerk.users.getCount({userId: [...hundred, 'user_one_too_many']}),
    ]) {
      const error = await clerkError(call)
      expect(error.status).toBe(422)
      expect(error.errors[0]).toMatchObject({
        code: 'form_param_format_invalid',
        meta: {paramName: 'user_id'},
      })
    }
    const tooManyEmails = Array.from({length: 101}, (_, i) => `nobody${i}@example.com`)
    const error = await clerkError(setup.clerk.users.getUserList({emailAddress: tooManyEmails}))
    expect(error.errors[0]?.meta?.paramName).toBe('email_address')
  })

  it('filters by external_id and organization_id', async () => {
    const created = await setup.clerk.users.createUser({
      emailAddress: ['external@example.com'],
      externalId: 'crm-4711',
    })
    const byExternal = await setup.clerk.users.getUserList({externalId: ['crm-4711']})
    expect(byExternal.data.map((user) => user.id)).toEqual([created.id])

    const {data: organizations} = await setup.clerk.organizations.getOrganizationList()
    const organization = organizations[0]
    if (!organization) throw new Error('the seed has organizations')
    const members = setup.emulator.store.listMemberships(
      {organizationId: organization.id},
      {key: 'created_at', descending: true},
      {limit: 500, offset: 0},
    )
    const inOrganization = await setup.clerk.users.getUserList({
      organizationId: [organization.id],
      limit: 500,
    })
    expect(inOrganization.data.map((user) => user.id).sort()).toEqual(
      members.data.map((membership) => membership.public_user_data.user_id).sort(),
    )
    expect(inOrganization.totalCount).toBe(members.totalCount)
  })

  it('filters by creation time and by per-field partial queries', async () => {
    const all = setup.emulator.store.listUsers(
      {},
      {key: 'created_at', descending: false},
      {limit: 1000, offset: 0},
    )
    const middle = all[Math.floor(all.length / 2)]?.created_at as number
    const newer = await setup.clerk.users.getUserList({createdAtAfter: middle, limit: 1})
    expect(newer.totalCount).toBe(all.filter((user) => user.created_at > middle).length)
    const target = all[3]
    const byName = await setup.clerk.users.getUserList({
      nameQuery: `${target?.first_name} ${target?.last_name}`.toUpperCase(),
      limit: 500,
    } as unknown as {limit: number})
    expect(byName.data.map((user) => user.id)).toContain(target?.id)
    expect(byName.data.every((user) => user.lastName === target?.last_name)).toBe(true)
  })

  it('filters banned users when asked', async () => {
    const banned = await setup.clerk.users.getUserList({banned: true} as unknown as {limit: number})
    expect(banned.data.every((user) => user.banned)).toBe(true)
    expect(banned.totalCount).toBe(setup.emulator.store.countUsers({banned: true}))
  })
})

describe('single users', () => {
  it('creates, reads and deletes a user', async () => {
    const created = await setup.clerk.users.createUser({
      firstName: 'Ada',
      lastName: 'Byron',
      emailAddress: ['Ada.Byron@Example.com'],
      publicMetadata: {plan: 'pro'},
    })
    expect(created.id).toMatch(/^user_[0-9A-Za-z]{27}$/)
    expect(created.primaryEmailAddress?.emailAddress).toBe('ada.byron@example.com')
    expect(created.primaryEmailAddress?.id).toMatch(/^idn_[0-9A-Za-z]{27}$/)
    const fetched = await setup.clerk.users.getUser(created.id)
    expect(fetched.fullName).toBe('Ada Byron')
    expect(fetched.publicMetadata).toEqual({plan: 'pro'})
    expect(fetched.createdAt).toBeGreaterThan(1_600_000_000_000)

    const deleted = await setup.clerk.users.deleteUser(created.id)
    expect(deleted).toMatchObject({id: created.id, deleted: true})
    const error = await clerkError(setup.clerk.users.getUser(created.id))
    expect(error.status).toBe(404)
    expect(error.errors[0]?.code).toBe('resource_not_found')
    expect(error.clerkTraceId).toMatch(/^[0-9a-f]{32}$/)
  })

  it('refuses a taken email address with a 422 naming the parameter', async () => {
    await setup.clerk.users.createUser({emailAddress: ['taken@example.com']})
    const error = await clerkError(
      setup.clerk.users.createUser({emailAddress: ['TAKEN@example.com']}),
    )
    expect(error.status).toBe(422)
    expect(error.errors[0]).toMatchObject({
      code: 'form_identifier_exists',
      meta: {paramName: 'email_address'},
    })
  })

  it('answers 404 for ids that are malformed or contain slashes', async () => {
    for (const id of ['user_doesNotExist', 'user 1/x', 'org_x']) {
      const error = await clerkError(setup.clerk.users.getUser(id))
      expect({id, status: error.status}).toEqual({id, status: 404})
    }
  })
})

describe('metadata', () => {
  it('deep-merges on PATCH, deleting keys set to null at any depth and replacing arrays', async () => {
    const user = await setup.clerk.users.createUser({
      emailAddress: ['merge@example.com'],
      publicMetadata: {
        keep: 1,
        access: {plan: 'pro', courses: {a: true, b: true}, tags: ['x', 'y']},
      },
      privateMetadata: {secret: 's'},
    })
    const merged = await setup.clerk.users.updateUserMetadata(user.id, {
      publicMetadata: {
        access: {courses: {b: null, c: true}, tags: ['z'], role: 'editor'},
        gone: null,
      },
    })
    expect(merged.publicMetadata).toEqual({
      keep: 1,
      access: {plan: 'pro', courses: {a: true, c: true}, tags: ['z'], role: 'editor'},
    })
    expect(merged.privateMetadata).toEqual({secret: 's'})
    expect(merged.updatedAt).toBeGreaterThanOrEqual(user.updatedAt)
    const body = setup.emulator.log.at(-1)?.body ?? ''
    expect(JSON.parse(body)).toEqual({
      public_metadata: {
        access: {courses: {b: null, c: true}, tags: ['z'], role: 'editor'},
        gone: null,
      },
    })
  })

  it('replaces each supplied field on PUT and leaves the others alone', async () => {
    const user = await setup.clerk.users.createUser({
      emailAddress: ['replace@example.com'],
      publicMetadata: {a: 1, b: {c: 2}},
      privateMetadata: {p: true},
      unsafeMetadata: {u: 1},
    })
    const replaced = await setup.clerk.users.replaceUserMetadata(user.id, {
      publicMetadata: {b: {d: 3}},
      unsafeMetadata: {},
    })
    expect(replaced.publicMetadata).toEqual({b: {d: 3}})
    expect(replaced.unsafeMetadata).toEqual({})
    expect(replaced.privateMetadata).toEqual({p: true})
  })

  it('refuses a top-level null on PATCH and leaves the metadata untouched', async () => {
    const user = await setup.clerk.users.createUser({
      emailAddress: ['nullpatch@example.com'],
      publicMetadata: {x: 1},
    })
    const error = await clerkError(
      setup.clerk.users.updateUserMetadata(user.id, {publicMetadata: null as unknown as {}}),
    )
    expect(error.status).toBe(422)
    expect(setup.emulator.store.getUser(user.id)?.public_metadata).toEqual({x: 1})
  })

  it('enforces the combined 8 KB limit with a 422 and keeps the old value', async () => {
    const user = await setup.clerk.users.createUser({
      emailAddress: ['big@example.com'],
      publicMetadata: {small: true},
    })
    const error = await clerkError(
      setup.clerk.users.updateUserMetadata(user.id, {
        publicMetadata: {blob: 'x'.repeat(5000)},
        privateMetadata: {blob: 'y'.repeat(4000)},
      }),
    )
    expect(error.status).toBe(422)
    expect(error.errors[0]?.code).toBe('form_param_exceeds_allowed_size')
    expect((await setup.clerk.users.getUser(user.id)).publicMetadata).toEqual({small: true})
  })

  it('takes a configured limit, code and message', async () => {
    const small = await startWithClient({
      metadataLimit: {bytes: 64, code: 'metadata_too_large', message: 'Too big.'},
    })
    try {
      const user = await small.clerk.users.createUser({emailAddress: ['a@example.com']})
      const error = await clerkError(
        small.clerk.users.updateUserMetadata(user.id, {publicMetadata: {text: 'z'.repeat(80)}}),
      )
      expect(error.errors[0]).toMatchObject({code: 'metadata_too_large', message: 'Too big.'})
      await small.clerk.users.updateUserMetadata(user.id, {publicMetadata: {ok: true}})
    } finally {
      await small.emulator.close()
    }
  })

  it('answers 404 for metadata writes to unknown users', async () => {
    const error = await clerkError(
      setup.clerk.users.updateUserMetadata('user_missing', {publicMetadata: {a: 1}}),
    )
    expect(error.status).toBe(404)
  })
})
