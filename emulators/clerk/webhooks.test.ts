/**
 * Clerk's outbound webhooks and invitations, driven through the real `@clerk/backend` and
 * verified on arrival with its own `verifyWebhook` (Svix / Standard Webhooks signatures).
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {verifyWebhook} from '@clerk/backend/webhooks'
import type {WebhookEvent} from '@clerk/backend/webhooks'
import {ClerkStore} from './store'
import {clerkError, startWithClient, type EmulatorWithClient} from './test-support'
import {generateWebhookSecret} from './webhooks'

interface Received {
  headers: Record<string, string>
  body: string
  event?: WebhookEvent
  verifyError?: string
}

/** A receiver that verifies every delivery and answers with the next scripted status. */
async function startReceiver(secret: string, statuses: number[] = []) {
  const received: Received[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      )
      const entry: Received = {headers, body}
      received.push(entry)
      verifyWebhook(new Request('http://receiver/', {method: 'POST', headers, body}), {
        signingSecret: secret,
      })
        .then((event) => {
          entry.event = event
        })
        .catch((error: unknown) => {
          entry.verifyError = String(error)
        })
        .finally(() => {
          response.writeHead(statuses.shift() ?? 200)
          response.end()
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clerk`
  return {url, received, close: () => new Promise((resolve) => server.close(resolve))}
}

let setup: EmulatorWithClient
const secret = generateWebhookSecret()
beforeEach(async () => {
  setup = await startWithClient()
})
afterEach(() => setup.emulator.close())

const types = (received: Received[]) => received.map((entry) => entry.event?.type)
/** Like Svix, the emulator delivers concurrently: arrival order is not event order. */
const byType = (received: Received[], type: string) =>
  received.find((entry) => entry.event?.type === type)?.event as WebhookEvent

describe('webhooks', () => {
  it('sends Svix-signed events with Clerk payloads that @clerk/backend verifies', async () => {
    const {emulator, clerk} = setup
    const receiver = await startReceiver(secret)
    try {
      emulator.webhooks.setEndpoint({url: receiver.url, secret})
      const user = await clerk.users.createUser({emailAddress: ['ada@example.com']})
      const organization = await clerk.organizations.createOrganization({
        name: 'Acme',
        createdBy: user.id,
      })
      await clerk.users.updateUserMetadata(user.id, {publicMetadata: {plan: 'pro'}})
      await clerk.organizations.deleteOrganization(organization.id)
      await clerk.users.deleteUser(user.id)
      await emulator.webhooks.idle()

      expect(receiver.received.map((entry) => entry.verifyError)).toEqual(
        receiver.received.map(() => undefined),
      )
      expect(types(receiver.received).sort()).toEqual([
        'organization.created',
        'organization.deleted',
        'organizationMembership.created',
        'organizationMembership.deleted',
        'user.created',
        'user.deleted',
        'user.updated',
      ])
      const events = receiver.received
      const created = byType(events, 'user.created')
      const membership = byType(events, 'organizationMembership.created')
      const updated = byType(events, 'user.updated')
      const orgDeleted = byType(events, 'organization.deleted')
      const userDeleted = byType(events, 'user.deleted')
      expect(created?.data).toMatchObject({id: user.id, object: 'user'})
      expect(membership?.data).toMatchObject({
        object: 'organization_membership',
        role: 'org:admin',
        public_user_data: {user_id: user.id},
      })
      expect(updated?.data).toMatchObject({public_metadata: {plan: 'pro'}})
      expect(orgDeleted?.data).toEqual({
        object: 'organization',
        id: organization.id,
        slug: organization.slug,
        deleted: true,
      })
      expect(userDeleted?.data).toEqual({object: 'user', id: user.id, deleted: true})
      const first = receiver.received[0] as Received
      expect(first.headers['svix-id']).toMatch(/^msg_/)
      expect(Number(first.headers['svix-timestamp'])).toBeCloseTo(Date.now() / 1000, -2)
      expect(first.event).toMatchObject({object: 'event', instance_id: 'ins_emulator'})
    } finally {
      await receiver.close()
    }
  })

  it('a tampered body or another secret fails verification (the check can fail)', async () => {
    const {emulator, clerk} = setup
    const receiver = await startReceiver(generateWebhookSecret())
    try {
      emulator.webhooks.setEndpoint({url: receiver.url, secret})
      await clerk.users.createUser({})
      await emulator.webhooks.idle()
      expect(receiver.received[0]?.verifyError).toMatch(/verify/i)
      const {headers, body} = receiver.received[0] as Received
      const tampered = new Request('http://receiver/', {
        method: 'POST',
        headers,
        body: body.replace('user.created', 'user.deleted'),
      })
      await expect(verifyWebhook(tampered, {signingSecret: secret})).rejects.toThrow(/verify/i)
      const genuine = new Request('http://receiver/', {method: 'POST', headers, body})
      await expect(verifyWebhook(genuine, {signingSecret: secret})).resolves.toMatchObject({
        type: 'user.created',
      })
    } finally {
      await receiver.close()
    }
  })

  it('adding an address fires user.updated and email.created; verifying it, user.updated', async () => {
    const {emulator, clerk} = setup
    const receiver = await startReceiver(secret)
    try {
      const user = await clerk.users.createUser({emailAddress: ['ada@example.com']})
      emulator.webhooks.setEndpoint({url: receiver.url, secret})
      const address = await clerk.emailAddresses.createEmailAddress({
        userId: user.id,
        emailAddress: 'Ada.Work@Example.com',
        verified: false,
      })
      expect(address.emailAddress).toBe('ada.work@example.com')
      expect(address.verification?.status).toBe('unverified')
      await clerk.emailAddresses.updateEmailAddress(address.id, {verified: true})
      await emulator.webhooks.idle()
      expect(types(receiver.received).sort()).toEqual([
        'email.created',
        'user.updated',
        'user.updated',
      ])
      const email = byType(receiver.received, 'email.created')
      expect(email?.data).toMatchObject({
        object: 'email',
        user_id: user.id,
        email_address_id: address.id,
        to_email_address: 'ada.work@example.com',
      })
      const statuses = receiver.received
        .filter((entry) => entry.event?.type === 'user.updated')
        .map((entry) => {
          const data = entry.event?.data as {
            email_addresses: Array<{id: string; verification: {status: string}}>
          }
          return data.email_addresses.find((e) => e.id === address.id)?.verification.status
        })
      expect(statuses.sort()).toEqual(['unverified', 'verified'])
    } finally {
      await receiver.close()
    }
  })

  it('retries a failed delivery with the same svix-id, and the knobs duplicate and reorder', async () => {
    const {emulator, clerk} = setup
    const receiver = await startReceiver(secret, [500, 503])
    try {
      emulator.webhooks.setEndpoint({url: receiver.url, secret})
      emulator.webhooks.setTimings({retryDelaysMs: [1, 1, 1]})
      await clerk.users.createUser({})
      await emulator.webhooks.idle()
      expect(emulator.webhooks.attempts.map((a) => [a.attempt, a.status])).toEqual([
        [1, 500],
        [2, 503],
        [3, 200],
      ])
      expect(new Set(receiver.received.map((entry) => entry.headers['svix-id'])).size).toBe(1)

      receiver.received.length = 0
      emulator.webhooks.configure({duplicate: 1})
      await clerk.users.createUser({})
      await emulator.webhooks.idle()
      expect(receiver.received).toHaveLength(2)
      expect(receiver.received[0]?.headers['svix-id']).toBe(
        receiver.received[1]?.headers['svix-id'],
      )

      receiver.received.length = 0
      emulator.webhooks.configure({hold: true})
      const first = await clerk.users.createUser({firstName: 'First'})
      const second = await clerk.users.createUser({firstName: 'Second'})
      await emulator.webhooks.idle()
      expect(receiver.received).toHaveLength(0)
      emulator.webhooks.release('reverse')
      await emulator.webhooks.idle()
      expect(
        receiver.received.map((entry) => (entry.event?.data as {id?: string} | undefined)?.id),
      ).toEqual([second.id, first.id])
    } finally {
      await receiver.close()
    }
  })

  it('is configured through the admin API, which generates a secret when none is given', async () => {
    const {emulator} = setup
    const headers = {Authorization: `Bearer ${emulator.secretKey}`}
    const response = await fetch(`${emulator.url}/__emulator/webhook`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({url: 'http://127.0.0.1:9/clerk', timings: {retryDelaysMs: []}}),
    })
    const {secret: generated} = (await response.json()) as {secret: string}
    expect(generated).toMatch(/^whsec_/)
    expect(emulator.webhooks.endpoint).toEqual({url: 'http://127.0.0.1:9/clerk', secret: generated})
    const bad = await fetch(`${emulator.url}/__emulator/webhook`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({url: 'ftp://nowhere'}),
    })
    expect(bad.status).toBe(422)
  })
})

describe('invitations', () => {
  it('create, list, revoke and accept as Clerk has them; accepting creates a verified user', async () => {
    const {emulator, clerk} = setup
    const receiver = await startReceiver(secret)
    try {
      emulator.webhooks.setEndpoint({url: receiver.url, secret})
      const invitation = await clerk.invitations.createInvitation({
        emailAddress: 'New.Person@Example.com',
        redirectUrl: 'https://app.example.com/welcome',
      })
      expect(invitation).toMatchObject({emailAddress: 'new.person@example.com', status: 'pending'})
      const duplicate = await clerkError(
        clerk.invitations.createInvitation({emailAddress: 'new.person@example.com'}),
      )
      expect(duplicate.errors[0]?.code).toBe('duplicate_record')
      const list = await clerk.invitations.getInvitationList({status: 'pending'})
      expect(list.totalCount).toBe(1)

      const accept = await fetch(`${emulator.url}/__emulator/invitations/${invitation.id}/accept`, {
        method: 'POST',
        headers: {Authorization: `Bearer ${emulator.secretKey}`},
        body: JSON.stringify({first_name: 'New'}),
      })
      const accepted = (await accept.json()) as {
        user: {id: string; email_addresses: Array<{verification: {strategy: string}}>}
        redirect_url: string
      }
      expect(accepted.redirect_url).toBe('https://app.example.com/welcome')
      const user = await clerk.users.getUser(accepted.user.id)
      expect(user.emailAddresses[0]?.emailAddress).toBe('new.person@example.com')
      expect(user.emailAddresses[0]?.verification?.status).toBe('verified')
      expect(user.emailAddresses[0]?.verification?.strategy).toBe('ticket')
      expect((await clerk.invitations.getInvitationList({status: 'accepted'})).data[0]?.id).toBe(
        invitation.id,
      )
      // An address a user has cannot be invited; an accepted invitation cannot be revoked.
      const taken = await clerkError(
        clerk.invitations.createInvitation({emailAddress: 'new.person@example.com'}),
      )
      expect(taken.errors[0]?.code).toBe('form_identifier_exists')
      expect((await clerkError(clerk.invitations.revokeInvitation(invitation.id))).status).toBe(400)

      const other = await clerk.invitations.createInvitation({emailAddress: 'later@example.com'})
      const revoked = await clerk.invitations.revokeInvitation(other.id)
      expect(revoked).toMatchObject({status: 'revoked', revoked: true})
      expect((await clerk.invitations.getInvitationList()).data.map((i) => i.id)).toEqual([
        invitation.id,
      ])
      const reuse = await fetch(`${emulator.url}/__emulator/invitations/${other.id}/accept`, {
        method: 'POST',
        headers: {Authorization: `Bearer ${emulator.secretKey}`},
      })
      expect(reuse.status).toBe(400)

      await emulator.webhooks.idle()
      expect(types(receiver.received)).toEqual(['user.created'])
    } finally {
      await receiver.close()
    }
  })

  it('expire after expires_in_days with the clock alone', () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const store = new ClerkStore({now: () => now})
    const invitation = store.createInvitation({email_address: 'x@example.com', expires_in_days: 2})
    expect(invitation.expires_at).toBe(now + 2 * 86_400_000)
    now += 2 * 86_400_000 - 1
    expect(store.getInvitation(invitation.id)?.status).toBe('pending')
    now += 1
    expect(store.getInvitation(invitation.id)?.status).toBe('expired')
    expect(() => store.acceptInvitation(invitation.id)).toThrow(/cannot be used/)
    // An expired invitation no longer blocks a new one.
    expect(store.createInvitation({email_address: 'x@example.com'}).status).toBe('pending')
  })
})
