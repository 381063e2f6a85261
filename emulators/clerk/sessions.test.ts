/**
 * Sessions and session tokens through the real `@clerk/backend`: tokens the emulator mints are
 * verified by `verifyToken` (JWKS from the emulator, and networkless with `jwtKey`) and by
 * `authenticateRequest` from a `__session` cookie, and carry Clerk's v2 claims.
 */
import {createClerkClient, verifyToken} from '@clerk/backend'
import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'

/** `activeOrganizationId` is in Clerk's API but not yet in the SDK's types. */
type CreateSessionParams = Parameters<EmulatorWithClient['clerk']['sessions']['createSession']>[0]
const withOrganization = (userId: string, activeOrganizationId: string) =>
  ({userId, activeOrganizationId}) as CreateSessionParams

let setup: EmulatorWithClient
let userId: string
let organizationId: string
let clock = Date.now()

beforeAll(async () => {
  setup = await startWithClient({now: () => clock})
  const {store} = setup.emulator
  userId = store.createUser({
    first_name: 'Ada',
    last_name: 'Lovelace',
    email_address: ['ada@example.com'],
    public_metadata: {plan: 'pro', courseSlugs: ['intro']},
  }).id
  organizationId = store.createOrganization({
    name: 'Orbit Labs',
    public_metadata: {plan: 'team'},
  }).id
  store.addMembership({organization_id: organizationId, user_id: userId, role: 'org:admin'})
})
afterAll(() => setup.emulator.close())
beforeEach(() => {
  clock = Date.now()
  setup.emulator.sessions.configureSessionToken({claims: {}, lifetimeSeconds: 60})
})

const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<
    string,
    unknown
  >

describe('sessions', () => {
  it('creates, reads, lists and revokes a session with the SDK', async () => {
    const {clerk} = setup
    const session = await clerk.sessions.createSession({userId})
    expect(session).toMatchObject({userId, status: 'active', lastActiveOrganizationId: null})
    expect(session.id).toMatch(/^sess_[A-Za-z0-9]{27}$/)
    expect(session.expireAt - session.createdAt).toBe(7 * 86_400_000)
    expect((await clerk.sessions.getSession(session.id)).id).toBe(session.id)
    const list = await clerk.sessions.getSessionList({userId})
    expect(list.data.map((s) => s.id)).toContain(session.id)
    expect((await clerk.sessions.revokeSession(session.id)).status).toBe('revoked')
    const refused = await clerkError(clerk.sessions.getToken(session.id))
    expect(refused.status).toBe(404)
    expect(refused.errors[0]?.longMessage).toMatch(/revoked/)
  })

  it('refuses an unknown user and an organization the user is not a member of', async () => {
    const {clerk, emulator} = setup
    expect((await clerkError(clerk.sessions.createSession({userId: 'user_missing'}))).status).toBe(
      404,
    )
    const other = emulator.store.createOrganization({name: 'Elsewhere'}).id
    const notMember = await clerkError(
      clerk.sessions.createSession(withOrganization(userId, other)),
    )
    expect(notMember.status).toBe(422)
    expect(notMember.errors[0]?.meta?.paramName).toBe('active_organization_id')
  })
})

describe('session tokens', () => {
  it('carry the v2 claims, the template claims, and verify with the JWKS and networklessly', async () => {
    const {clerk, emulator} = setup
    emulator.sessions.configureSessionToken({
      claims: {
        metadata: '{{user.public_metadata}}',
        org_metadata: '{{org.public_metadata}}',
        greeting: 'Hello {{user.first_name}}',
        missing: '{{user.public_metadata.nothing}}',
      },
    })
    const session = await clerk.sessions.createSession(withOrganization(userId, organizationId))
    const {jwt} = await clerk.sessions.getToken(session.id)
    const remote = await verifyToken(jwt, {secretKey: emulator.secretKey, apiUrl: emulator.url})
    const local = await verifyToken(jwt, {jwtKey: emulator.sessions.jwtKey})
    expect(local).toEqual(remote)
    const iat = Math.floor(clock / 1000)
    expect(remote).toEqual({
      exp: iat + 60,
      fva: [0, -1],
      iat,
      iss: emulator.url,
      nbf: iat - 10,
      o: {id: organizationId, rol: 'admin', slg: 'orbit-labs'},
      sid: session.id,
      sts: 'active',
      sub: userId,
      v: 2,
      metadata: {plan: 'pro', courseSlugs: ['intro']},
      org_metadata: {plan: 'team'},
      greeting: 'Hello Ada',
    })
    expect(JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString())).toEqual({
      alg: 'RS256',
      kid: emulator.sessions.signingKey.kid,
      typ: 'JWT',
    })
  })

  it('read metadata when minted, so a write shows in the next token', async () => {
    const {clerk, emulator} = setup
    emulator.sessions.configureSessionToken({claims: {metadata: '{{user.public_metadata}}'}})
    const session = await clerk.sessions.createSession({userId})
    const before = decode((await clerk.sessions.getToken(session.id)).jwt)
    await clerk.users.updateUserMetadata(userId, {publicMetadata: {courseSlugs: ['intro', 'rust']}})
    const after = decode((await clerk.sessions.getToken(session.id)).jwt)
    expect(before.metadata).toEqual({plan: 'pro', courseSlugs: ['intro']})
    expect(after.metadata).toEqual({plan: 'pro', courseSlugs: ['intro', 'rust']})
    expect(after).not.toHaveProperty('o')
    await clerk.users.updateUserMetadata(userId, {publicMetadata: {courseSlugs: ['intro']}})
  })

  it('expire: an old token, a forged one and one from another key are refused', async () => {
    const {clerk, emulator} = setup
    const session = await clerk.sessions.createSession({userId})
    clock = Date.now() - 120_000
    const old = (await clerk.sessions.getToken(session.id)).jwt
    clock = Date.now()
    await expect(verifyToken(old, {jwtKey: emulator.sessions.jwtKey})).rejects.toMatchObject({
      reason: 'token-expired',
    })
    const fresh = (await clerk.sessions.getToken(session.id)).jwt
    const [header, , signature] = fresh.split('.')
    const forgedPayload = Buffer.from(
      JSON.stringify({...decode(fresh), sub: 'user_someoneelse'}),
    ).toString('base64url')
    await expect(
      verifyToken(`${header}.${forgedPayload}.${signature}`, {jwtKey: emulator.sessions.jwtKey}),
    ).rejects.toMatchObject({reason: 'token-invalid-signature'})
    const other = await startWithClient()
    try {
      await expect(
        verifyToken(fresh, {jwtKey: other.emulator.sessions.jwtKey}),
      ).rejects.toMatchObject({reason: 'token-invalid-signature'})
    } finally {
      await other.emulator.close()
    }
  })

  it('honour expires_in_seconds within Clerk’s range and JWT templates by name', async () => {
    const {clerk, emulator} = setup
    const session = await clerk.sessions.createSession({userId})
    const long = decode((await clerk.sessions.getToken(session.id, undefined, 300)).jwt)
    expect((long.exp as number) - (long.iat as number)).toBe(300)
    expect((await clerkError(clerk.sessions.getToken(session.id, undefined, 5))).status).toBe(422)
    expect((await clerkError(clerk.sessions.getToken(session.id, 'hasura'))).status).toBe(404)
    emulator.sessions.setJwtTemplate('hasura', {
      claims: {'https://hasura.io/jwt/claims': {'x-hasura-user-id': '{{user.id}}'}},
      lifetimeSeconds: 120,
    })
    const {jwt} = await clerk.sessions.getToken(session.id, 'hasura')
    const claims = await verifyToken(jwt, {jwtKey: emulator.sessions.jwtKey})
    expect(claims).toMatchObject({
      sub: userId,
      'https://hasura.io/jwt/claims': {'x-hasura-user-id': userId},
    })
    expect(claims).not.toHaveProperty('sid')
    expect(claims.exp - claims.iat).toBe(120)
  })

  it('refuse templates that set reserved claims, and bad settings', () => {
    const {sessions} = setup.emulator
    const refusal = (settings: Parameters<typeof sessions.configureSessionToken>[0]) => {
      try {
        sessions.configureSessionToken(settings)
      } catch (error) {
        return (error as {status: number; longMessage: string}).longMessage
      }
      throw new Error('expected a refusal')
    }
    expect(refusal({claims: {sub: 'x', sid: 'y'}})).toMatch(/sub, sid are reserved/)
    expect(refusal({lifetimeSeconds: 1})).toMatch(/from 30 to/)
    expect(refusal({authorizedParty: 'not a url'})).toMatch(/must be an origin/)
    expect(sessions.sessionToken.lifetimeSeconds).toBe(60)
  })

  it('are accepted by authenticateRequest from the __session cookie', async () => {
    const {clerk, emulator} = setup
    const origin = 'http://localhost:5173'
    emulator.sessions.configureSessionToken({authorizedParty: origin})
    const session = await clerk.sessions.createSession({userId})
    const {jwt} = await clerk.sessions.getToken(session.id)
    const request = (token: string) =>
      new Request(`${origin}/courses`, {
        headers: {cookie: `__session=${token}; __client_uat=${Math.floor(clock / 1000) - 1}`},
      })
    const app = createClerkClient({
      secretKey: emulator.secretKey,
      apiUrl: emulator.url,
      publishableKey: emulator.publishableKey,
    })
    const options = {authorizedParties: [origin]}
    const state = await app.authenticateRequest(request(jwt), options)
    expect(state.reason ?? state.status).toBe('signed-in')
    expect(state.toAuth()).toMatchObject({userId, sessionId: session.id})
    const networkless = await app.authenticateRequest(request(jwt), {
      ...options,
      jwtKey: emulator.sessions.jwtKey,
    })
    expect(networkless.status).toBe('signed-in')
    const elsewhere = await app.authenticateRequest(request(jwt), {
      ...options,
      authorizedParties: ['https://elsewhere.example'],
    })
    expect(elsewhere.status).not.toBe('signed-in')
    emulator.sessions.configureSessionToken({authorizedParty: null})
  })

  it('publish their key at /v1/jwks in the spec’s shape', async () => {
    const {jwks} = setup.clerk
    const {keys} = await jwks.getJwks()
    expect(keys).toEqual([setup.emulator.sessions.signingKey.jwk])
    expect(keys?.[0]).toMatchObject({alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB'})
  })
})
