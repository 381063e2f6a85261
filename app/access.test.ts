import {can, MissingAccessClaimError, readMemberAccess, type SessionClaims} from './access'

const ranks = {
  plans: {free: 0, pro: 10, enterprise: 20},
  roles: {learner: 0, editor: 10, admin: 20},
}
const base = {sub: 'user_1', sid: 'sess_1', iat: 1_800_000_000, exp: 1_800_000_060}

describe('readMemberAccess', () => {
  it('reads the user’s access and the session facts', () => {
    const access = readMemberAccess(
      {...base, access: {user: {plan: 'pro', role: 'editor', courseSlugs: ['intro']}}},
      {ranks},
    )
    expect(access).toMatchObject({
      userId: 'user_1',
      sessionId: 'sess_1',
      organization: null,
      plan: 'pro',
      role: 'editor',
      grants: {course: ['intro']},
      metadata: {plan: 'pro', role: 'editor', courseSlugs: ['intro']},
    })
    expect(access.issuedAt?.toISOString()).toBe('2027-01-15T08:00:00.000Z')
    expect(access.expiresAt?.getTime()).toBe(1_800_000_060_000)
  })

  it('merges the active organization’s access by rank, as the proxy merges entitlements', () => {
    const claims: SessionClaims = {
      ...base,
      o: {id: 'org_1', rol: 'admin', slg: 'orbit'},
      access: {
        user: {plan: 'enterprise', courseSlugs: ['intro']},
        org: {plan: 'pro', role: 'editor', courseSlugs: ['advanced', 'intro']},
      },
    }
    const access = readMemberAccess(claims, {ranks})
    expect(access.plan).toBe('enterprise')
    expect(access.role).toBe('editor')
    expect(access.grants.course).toEqual(['advanced', 'intro'])
    expect(access.organization).toEqual({id: 'org_1', slug: 'orbit', role: 'admin'})
    // The organization's side only counts while it is the active organization.
    const withoutOrganization = readMemberAccess({...claims, o: undefined}, {ranks})
    expect(withoutOrganization.grants.course).toEqual(['intro'])
  })

  it('reads the namespace shape and other grantable types', () => {
    const access = readMemberAccess(
      {...base, perks: {user: {plan: 'free', lessonKeys: ['l1']}, org: null}},
      {claim: 'perks', grantableTypes: [{type: 'lesson', metadataKey: 'lessonKeys'}], ranks},
    )
    expect(access.grants).toEqual({lesson: ['l1']})
    expect(access.plan).toBe('free')
  })

  it('fails closed on malformed values and treats empty sides as no access', () => {
    const access = readMemberAccess(
      {...base, access: {user: {plan: 42, courseSlugs: 'intro'}, org: 'x'}},
      {ranks},
    )
    expect(access).toMatchObject({plan: null, role: null, grants: {course: []}, metadata: {}})
    expect(readMemberAccess({...base, access: {}}).grants).toEqual({course: []})
  })

  it('names the template to configure when the claim is missing', () => {
    let error: unknown
    try {
      readMemberAccess({...base}, {namespace: 'sanity'})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(MissingAccessClaimError)
    expect((error as Error).message).toMatch(/no "access" claim/)
    expect((error as Error).message).toContain('"user": "{{user.public_metadata.sanity}}"')
    expect((error as MissingAccessClaimError).template).toContain('{{org.public_metadata.sanity}}')
  })

  it('refuses options that would read the wrong claim', () => {
    expect(() => readMemberAccess(base, {claim: 'sub'})).toThrow(/option "claim"/)
    expect(() => readMemberAccess(base, {ranks: {plans: {pro: Number.NaN}, roles: {}}})).toThrow(
      /ranks.plans.pro/,
    )
  })
})

describe('can', () => {
  const access = readMemberAccess(
    {...base, access: {user: {plan: 'pro', role: 'learner', courseSlugs: ['intro', 'groq']}}},
    {ranks},
  )

  it('checks granted slugs by document type', () => {
    expect(can(access, {course: 'intro'})).toBe(true)
    expect(can(access, {course: ['intro', 'groq']})).toBe(true)
    expect(can(access, {course: 'advanced'})).toBe(false)
    expect(can(access, {course: ['intro', 'advanced']})).toBe(false)
    expect(can(access, {lesson: 'intro'})).toBe(false)
  })

  it('compares plans and roles by rank and fails closed on unknown keys', () => {
    expect(can(access, {plan: 'free'})).toBe(true)
    expect(can(access, {plan: 'pro'})).toBe(true)
    expect(can(access, {plan: 'enterprise'})).toBe(false)
    expect(can(access, {plan: 'platinum'})).toBe(false)
    expect(can(access, {role: 'learner'})).toBe(true)
    expect(can(access, {role: 'editor'})).toBe(false)
    expect(can(access, {plan: 'pro', course: 'intro'})).toBe(true)
    expect(can(access, {plan: 'pro', course: 'advanced'})).toBe(false)
    expect(can(access, {})).toBe(true)
  })

  it('gives a member without access nothing but what needs nothing', () => {
    const none = readMemberAccess({...base, access: {user: {}}}, {ranks})
    expect(can(none, {plan: 'free'})).toBe(false)
    expect(can(none, {course: 'intro'})).toBe(false)
  })
})
