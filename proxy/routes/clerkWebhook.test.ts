/**
 * `POST /clerk-webhook` with the Clerk emulator delivering its Svix-signed events to the real
 * proxy handler: access follows sign-ups and verified addresses without an editor; forged, stale
 * and replayed deliveries do nothing.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {generateWebhookSecret, signSvix} from '../../emulators/clerk/webhooks'
import {CONTENT, startProxyHarness, type ProxyHarness} from '../testing/proxy-harness'

const clerkWebhookSecret = generateWebhookSecret()
let h: ProxyHarness
let bridge: Server
let endpoint: string

/** Serves the proxy handler over HTTP, so the emulator can deliver to it. */
function serve(handler: (request: Request) => Promise<Response>): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const headers = Object.entries(incoming.headers).map(
        ([name, value]) => [name, String(value)] as [string, string],
      )
      handler(
        new Request(`http://127.0.0.1${incoming.url}`, {
          method: incoming.method,
          headers,
          body: Buffer.concat(chunks),
        }),
      )
        .then(async (response) => {
          outgoing.writeHead(response.status, {'content-type': 'application/json'})
          outgoing.end(await response.text())
        })
        .catch(() => {
          outgoing.writeHead(500)
          outgoing.end()
        })
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

beforeAll(async () => {
  h = await startProxyHarness({documents: CONTENT, proxy: {clerkWebhookSecret}})
  bridge = await serve(h.handler)
  endpoint = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}/api/clerk/clerk-webhook`
  h.clerk.webhooks.setEndpoint({url: endpoint, secret: clerkWebhookSecret})
  h.clerk.webhooks.setTimings({retryDelaysMs: [10, 10, 10]})
})
afterAll(async () => {
  await new Promise((resolve) => bridge?.close(resolve))
  await h?.close()
})

function emailEntitlement(id: string, email: string, plan = 'plan-pro') {
  return {
    _id: id,
    _type: 'clerkEntitlement',
    title: email,
    clerkEmail: email,
    plan: {_type: 'reference', _ref: plan},
  }
}

/** A Svix-signed delivery of `event` as Clerk would send it (timestamp in seconds). */
function delivery(
  event: object,
  {
    id = `msg_${Math.random().toString(36).slice(2)}`,
    at = Date.now(),
    secret = clerkWebhookSecret,
  } = {},
) {
  const body = JSON.stringify({object: 'event', instance_id: 'ins_test', timestamp: at, ...event})
  const timestamp = Math.floor(at / 1000)
  return {
    rawBody: body,
    headers: {
      'svix-id': id,
      'svix-timestamp': String(timestamp),
      'svix-signature': signSvix(secret, id, timestamp, body),
    },
  }
}

describe('Clerk webhooks', () => {
  it('an invitee who signs up receives their email grant with no editor action', async () => {
    await h.publish(emailEntitlement('grant-new', 'new.person@example.com'))
    const invitation = h.clerk.store.createInvitation({email_address: 'new.person@example.com'})
    const started = performance.now()
    const {user} = h.clerk.store.acceptInvitation(invitation.id, {first_name: 'New'})
    await h.clerk.webhooks.idle()
    const elapsed = performance.now() - started
    console.info(`event → Clerk metadata: ${elapsed.toFixed(0)} ms (user.created to written)`)
    expect(h.clerk.store.getUser(user.id)?.public_metadata).toEqual({plan: 'pro'})
    expect(h.clerk.webhooks.attempts.at(-1)).toMatchObject({type: 'user.updated', status: 200})
  })

  it('an added address grants nothing until verified, then grants at once', async () => {
    await h.publish(emailEntitlement('grant-later', 'later@example.com', 'plan-basic'))
    const user = h.clerk.store.createUser({email_address: ['someone@example.com']})
    const address = h.clerk.store.createEmailAddress({
      user_id: user.id,
      email_address: 'later@example.com',
      verified: false,
    })
    await h.clerk.webhooks.idle()
    expect(h.clerk.store.getUser(user.id)?.public_metadata).toEqual({})
    h.clerk.store.updateEmailAddress(address.id, {verified: true})
    await h.clerk.webhooks.idle()
    expect(h.clerk.store.getUser(user.id)?.public_metadata).toEqual({plan: 'basic'})
    const failed = h.clerk.webhooks.attempts.filter((attempt) => attempt.status !== 200)
    expect(failed).toEqual([])
  })

  it('refuses forged and stale deliveries, and a replay does nothing', async () => {
    // Deliveries made by hand here; the emulator's own would race them.
    h.clerk.webhooks.setEndpoint(undefined)
    const user = h.createUser('Replayed')
    await h.publish({
      ...emailEntitlement('grant-replay', 'replayed@example.test'),
      _id: 'grant-replay',
    })
    const event = {type: 'user.updated', data: h.clerk.store.getUser(user)}

    const forged = delivery(event, {secret: generateWebhookSecret()})
    expect((await h.call('/clerk-webhook', {...forged, as: null})).status).toBe(401)
    const tampered = delivery(event)
    tampered.rawBody = tampered.rawBody.replace('user.updated', 'user.created')
    expect((await h.call('/clerk-webhook', {...tampered, as: null})).status).toBe(401)
    const stale = delivery(event, {at: Date.now() - 10 * 60_000})
    expect((await h.call('/clerk-webhook', {...stale, as: null})).status).toBe(401)
    expect(h.clerk.store.getUser(user)?.public_metadata).toEqual({})

    const genuine = delivery(event, {id: 'msg_replayed'})
    const first = await h.call('/clerk-webhook', {...genuine, as: null})
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({results: [{subject: user, outcome: 'updated'}]})
    const writes = () => h.clerk.log.filter((entry) => entry.method === 'PATCH').length
    const before = writes()
    const replay = await h.call('/clerk-webhook', {...genuine, as: null})
    expect(await replay.json()).toEqual({duplicate: true, results: []})
    expect(writes()).toBe(before)
    h.clerk.webhooks.setEndpoint({url: endpoint, secret: clerkWebhookSecret})
  })

  it('acknowledges deletions and events that change no access', async () => {
    const deleted = delivery({
      type: 'user.deleted',
      data: {object: 'user', id: 'user_gone', deleted: true},
    })
    const response = await h.call('/clerk-webhook', {...deleted, as: null})
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ignored: expect.stringMatching(/orphaned/)})
  })
})

describe('without a Clerk webhook secret', () => {
  it('the route is disabled', async () => {
    const plain = await startProxyHarness({documents: CONTENT})
    try {
      const response = await plain.call('/clerk-webhook', {
        ...delivery({type: 'user.created', data: {}}),
        as: null,
      })
      expect(response.status).toBe(404)
    } finally {
      await plain.close()
    }
  })
})
