/**
 * The member site over HTTP (the browser journey drives it in Chromium): signing in creates a
 * real emulator session, every page is verified by `@clerk/backend`, a refresh picks up what the
 * proxy wrote, and forged, expired or revoked tokens are refused.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {signJwt} from '../../emulators/clerk/jwt'
import {demoUser} from '../seed/clerk'
import {MemberClient, openCourses} from './member-client'
import {startDemoStack, type DemoStack} from '../stack'

let stack: DemoStack
let site: string
beforeAll(async () => {
  stack = await startDemoStack({studio: false, log: () => {}, proxyLogger: quiet()})
  site = stack.memberSiteUrl as string
})
afterAll(() => stack.close())

function quiet() {
  return {info: () => {}, warn: () => {}, error: () => {}}
}

/** A member's browser, signed in as a seeded person by email. */
class Browser extends MemberClient {
  constructor() {
    super(site)
  }
  async signInAs(email: string) {
    const user = demoUser(stack.clerkSeed, email)
    await this.signIn(user.id)
    return user
  }
}

describe('member site', () => {
  it('offers the demo cast, and shows a signed-in member exactly their courses', async () => {
    const browser = new Browser()
    const signIn = await browser.page()
    expect(signIn.html).toContain('Sign in as Ada Lovelace')
    await browser.signInAs('ada.lovelace@example.com')
    const {status, html} = await browser.page()
    expect(status).toBe(200)
    expect(openCourses(html)).toEqual(['groq-fundamentals', 'portable-text', 'structured-content'])
    expect(html).toMatch(/data-course="edge-functions" data-open="false"/)
    expect(html).toContain('data-claims-issued-at="20')
  })

  it('shows a grant after the next token refresh, not before', async () => {
    const browser = new Browser()
    const grace = await browser.signInAs('grace.hopper@example.com')
    expect(openCourses((await browser.page()).html)).toEqual([])
    await stack.clerk.store.updateMetadata(grace.id, {
      public_metadata: {plan: 'pro', courseSlugs: ['edge-functions']},
    })
    // The old token still carries the old claims.
    expect(openCourses((await browser.page()).html)).toEqual([])
    expect((await browser.request('/session/refresh', {method: 'POST'})).status).toBe(200)
    expect(openCourses((await browser.page('/content')).html)).toEqual(['edge-functions'])
  })

  it('refuses a forged token, and a revoked session cannot refresh', async () => {
    const browser = new Browser()
    await browser.signInAs('alan.turing@example.com')
    const token = browser.cookies.get('__session') as string
    const [header, payload] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({...claims, sub: 'user_someoneelse'})).toString(
      'base64url',
    )
    browser.cookies.set('__session', `${header}.${forged}.${token.split('.')[2]}`)
    const refused = await browser.page()
    expect(refused.status).toBe(401)
    expect(refused.html).toMatch(/data-refused>Your session token was refused/)
    expect(browser.cookies.has('__session')).toBe(false)

    await browser.signInAs('alan.turing@example.com')
    await browser.request('/sign-out', {method: 'POST'})
    expect((await browser.request('/session/refresh', {method: 'POST'})).status).toBe(401)
  })

  it('renews an expired token through the handshake while the session lives, not after', async () => {
    const browser = new Browser()
    await browser.signInAs('barbara.liskov@example.com')
    const current = browser.cookies.get('__session') as string
    const sessionId = JSON.parse(Buffer.from(current.split('.')[1]!, 'base64url').toString())
      .sid as string
    const expired = expiredToken(current)
    browser.cookies.set('__session', expired)
    expect((await browser.page()).status).toBe(200)
    expect(browser.cookies.get('__session')).not.toBe(expired)
    browser.cookies.set('__session', expired)
    stack.clerk.sessions.revoke(sessionId)
    const refused = await browser.page()
    expect(refused.status).toBe(401)
    expect(refused.html).toMatch(/data-refused>Your session token was refused/)
  })
})

/** A token for the session signed with the emulator's key, issued two minutes ago: expired. */
function expiredToken(current: string) {
  const claims = JSON.parse(Buffer.from(current.split('.')[1]!, 'base64url').toString())
  const iat = Math.floor(Date.now() / 1000) - 120
  return signJwt({...claims, iat, nbf: iat - 10, exp: iat + 60}, stack.clerk.sessions.signingKey)
}
