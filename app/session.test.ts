/**
 * The whole signed-in path with the real `@clerk/backend`: the template this entry prints is
 * pasted into (emulated) Clerk, metadata shaped as the proxy writes it is set, a session token is
 * minted and verified, and the access read from it is what was written.
 */
import {createClerkClient, verifyToken} from '@clerk/backend'

import {startClerkEmulator, type ClerkEmulator} from '../emulators/clerk'
import {can, readMemberAccess} from './access'
import {sessionTokenTemplate} from './template'

let emulator: ClerkEmulator
beforeAll(async () => {
  emulator = await startClerkEmulator({rateLimit: false})
})
afterAll(() => emulator.close())

const ranks = {plans: {free: 0, pro: 10}, roles: {}}

async function tokenFor(userId: string, activeOrganizationId?: string) {
  const clerk = createClerkClient({secretKey: emulator.secretKey, apiUrl: emulator.url})
  const session = await clerk.sessions.createSession({
    userId,
    ...(activeOrganizationId && {activeOrganizationId}),
  } as {userId: string})
  const {jwt} = await clerk.sessions.getToken(session.id)
  return verifyToken(jwt, {secretKey: emulator.secretKey, apiUrl: emulator.url})
}

describe('the session-token template in Clerk', () => {
  it('carries exactly the owned keys of the user and the active organization', async () => {
    const {store, sessions} = emulator
    sessions.configureSessionToken({claims: sessionTokenTemplate().claims as never})
    const user = store.createUser({
      first_name: 'Grace',
      email_address: ['grace@example.com'],
      public_metadata: {plan: 'free', courseSlugs: ['intro'], onboardingComplete: true},
    })
    const organization = store.createOrganization({
      name: 'Orbit',
      public_metadata: {plan: 'pro', courseSlugs: ['advanced']},
    })
    store.addMembership({organization_id: organization.id, user_id: user.id})

    const alone = readMemberAccess(await tokenFor(user.id), {ranks})
    expect(alone.metadata).toEqual({plan: 'free', courseSlugs: ['intro']})
    expect(alone.sources.user).not.toHaveProperty('onboardingComplete')
    expect(can(alone, {course: 'advanced'})).toBe(false)

    const inOrganization = readMemberAccess(await tokenFor(user.id, organization.id), {ranks})
    expect(inOrganization).toMatchObject({
      plan: 'pro',
      grants: {course: ['advanced', 'intro']},
      organization: {id: organization.id, role: 'member'},
    })
    expect(can(inOrganization, {plan: 'pro', course: 'advanced'})).toBe(true)
  })

  it('with a namespace, takes the namespace object whole', async () => {
    const {store, sessions} = emulator
    sessions.configureSessionToken({
      claims: sessionTokenTemplate({namespace: 'sanity'}).claims as never,
    })
    const user = store.createUser({
      email_address: ['ns@example.com'],
      public_metadata: {sanity: {plan: 'pro', courseSlugs: ['intro']}, other: 'x'},
    })
    const access = readMemberAccess(await tokenFor(user.id), {namespace: 'sanity', ranks})
    expect(access.metadata).toEqual({plan: 'pro', courseSlugs: ['intro']})
  })

  it('without the template, says which template to configure', async () => {
    emulator.sessions.configureSessionToken({claims: {}})
    const user = emulator.store.createUser({email_address: ['none@example.com']})
    expect(() => readMemberAccess({sub: user.id})).toThrow(/Customize session token/)
    await expect(tokenFor(user.id).then((claims) => readMemberAccess(claims))).rejects.toThrow(
      /"access" claim/,
    )
  })
})
