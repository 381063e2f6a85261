/** Invitation routes against the Clerk emulator through the real SDK. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {CONTENT, startProxyHarness, type ProxyHarness} from '../testing/proxy-harness'

let h: ProxyHarness
beforeAll(async () => {
  h = await startProxyHarness({
    documents: CONTENT,
    proxy: {invitationRedirectUrl: 'https://members.example.test/sign-up'},
  })
})
afterAll(() => h?.close())

const invite = (email: string, as?: 'viewer') =>
  h.call('/invitations', {body: {email}, ...(as ? {as} : {})})

describe('invitations', () => {
  it('invites with the configured redirect URL and never any metadata', async () => {
    const response = await invite('  Invitee@Example.test ')
    expect(response.status).toBe(201)
    const invitation = await response.json()
    expect(invitation).toMatchObject({email: 'invitee@example.test', status: 'pending'})
    const sent = h.clerk.log.find(
      (entry) => entry.method === 'POST' && entry.path === '/v1/invitations',
    )
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      email_address: 'invitee@example.test',
      notify: true,
      redirect_url: 'https://members.example.test/sign-up',
    })
    expect(h.clerk.store.getInvitation(invitation.id)?.public_metadata).toEqual({})
  })

  it('lists, revokes and resends, and says plainly what Clerk refused', async () => {
    const first = await (await invite('again@example.test')).json()
    const duplicate = await invite('again@example.test')
    expect(duplicate.status).toBe(409)
    expect((await duplicate.json()).error).toMatchObject({
      code: 'invitation_pending',
      message: expect.stringMatching(/already has a pending invitation: resend it/),
    })

    const resent = await h.call(`/invitations/${first.id}/resend`, {
      body: {email: 'again@example.test'},
    })
    expect(resent.status).toBe(201)
    const second = await resent.json()
    expect(second.id).not.toBe(first.id)
    const list = await (await h.call('/invitations?email=again@example.test')).json()
    expect(list.data.map((i: {id: string; status: string}) => [i.id, i.status])).toEqual([
      [second.id, 'pending'],
      [first.id, 'revoked'],
    ])

    const revoked = await h.call(`/invitations/${second.id}/revoke`, {method: 'POST'})
    expect(await revoked.json()).toMatchObject({id: second.id, status: 'revoked'})
    const again = await h.call(`/invitations/${second.id}/revoke`, {method: 'POST'})
    expect((await again.json()).error.code).toBe('not_pending')

    h.createUser('Member')
    const member = await invite('member@example.test')
    expect((await member.json()).error).toMatchObject({
      code: 'already_signed_up',
      message: expect.stringMatching(/already has a Clerk account/),
    })
  })

  it("maps Clerk's rate limit to a plain 429 with Retry-After", async () => {
    h.clerk.faults.add({
      method: 'POST',
      path: '/v1/invitations',
      times: 3,
      fault: {type: 'status', status: 429, retryAfterSeconds: 7},
    })
    const response = await invite('busy@example.test')
    expect(response.status).toBe(429)
    expect((await response.json()).error.message).toMatch(/limiting invitations.*7 seconds/)
    h.clerk.faults.clear()
  })

  it('needs the invite permission and a valid address', async () => {
    expect((await invite('viewer@example.test', 'viewer')).status).toBe(403)
    const bad = await invite('not an address')
    expect(bad.status).toBe(422)
    expect((await h.call('/invitations/inv_../revoke', {method: 'POST'})).status).toBe(400)
  })
})
