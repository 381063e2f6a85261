import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {createClient} from '@sanity/client'
import {isValidSignature} from '@sanity/webhook'

import {createLakeClient} from './client'
import {startContentLake, type ContentLake} from './server'
import type {FunctionContext} from './types'
import {signWebhookPayload} from './webhooks'

const SECRET = 'webhook-secret'

interface Received {
  headers: IncomingHttpHeaders
  body: string
  signatureValid: boolean
}

/** A webhook receiver on loopback whose answer per request the test decides. */
async function startReceiver(answer: (received: Received) => number) {
  const received: Received[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const signature = String(request.headers['sanity-webhook-signature'] ?? '')
      const entry = {
        headers: request.headers,
        body,
        signatureValid: await isValidSignature(body, signature, SECRET),
      }
      received.push(entry)
      response.writeHead(answer(entry)).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

it('signs payloads exactly like @sanity/webhook expects (known answer)', () => {
  expect(signWebhookPayload('{"_id":"resume"}', 'test', 1633519811129)).toBe(
    't=1633519811129,v1=tLa470fx7qkLLEcMOcEUFuBbRSkGujyskxrNXcoh0N0',
  )
})

describe('GROQ-powered webhooks', () => {
  let lake: ContentLake
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  const failuresLeft = new Map<string, number>()

  beforeAll(async () => {
    receiver = await startReceiver(({headers}) => {
      const key = String(headers['sanity-document-id'])
      const left = failuresLeft.get(key) ?? 0
      if (left > 0) failuresLeft.set(key, left - 1)
      return left > 0 ? 500 : 200
    })
    lake = await startContentLake({
      projectId: 'lake',
      dataset: 'test',
      webhookTimings: {retryDelayMs: 20},
      webhooks: [
        {
          name: 'courses',
          url: receiver.url,
          filter: '_type == "course"',
          projection:
            '{_id, title, "operation": delta::operation(), "titleBefore": before().title}',
          on: ['create', 'update', 'delete'],
          secret: SECRET,
        },
      ],
    })
  })

  afterAll(async () => {
    await lake.close()
    await receiver.close()
  })

  beforeEach(() => {
    receiver.received.length = 0
    lake.webhooks.configure({})
  })

  const bodies = () => receiver.received.map((entry) => JSON.parse(entry.body))

  it('delivers create, update and delete with the projection, signed, with Sanity headers', async () => {
    const client = createLakeClient(lake)
    const {transactionId} = await client.create(
      {_id: 'c1', _type: 'course', title: 'One'},
      {returnDocuments: false},
    )
    await client.patch('c1').set({title: 'Uno'}).commit()
    await client.create({_id: 'drafts.c1', _type: 'course', title: 'Draft only'})
    await client.create({_id: 'p1', _type: 'plan', title: 'Not a course'})
    await client.delete('c1')
    await lake.settled()

    expect(bodies()).toEqual([
      {_id: 'c1', title: 'One', operation: 'create', titleBefore: null},
      {_id: 'c1', title: 'Uno', operation: 'update', titleBefore: 'One'},
      {_id: 'c1', title: 'Uno', operation: 'delete', titleBefore: 'Uno'},
    ])
    expect(receiver.received.every((entry) => entry.signatureValid)).toBe(true)
    expect(receiver.received[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'sanity-transaction-id': transactionId,
      'sanity-document-id': 'c1',
      'sanity-operation': 'create',
      'sanity-project-id': 'lake',
      'sanity-dataset': 'test',
      'sanity-webhook-id': expect.any(String),
      'sanity-transaction-time': expect.any(String),
      'idempotency-key': expect.any(String),
      'user-agent': expect.stringContaining('Sanity'),
    })
    const keys = new Set(receiver.received.map((entry) => entry.headers['idempotency-key']))
    expect(keys.size).toBe(3)
  })

  it('retries after a 500 with the same idempotency key, once per attempt', async () => {
    failuresLeft.set('c2', 1)
    await createLakeClient(lake).create({_id: 'c2', _type: 'course', title: 'Two'})
    await lake.settled()

    const [first, second, ...rest] = receiver.received
    expect(rest).toEqual([])
    expect(first?.headers['idempotency-key']).toBe(second?.headers['idempotency-key'])
    expect(first?.signatureValid && second?.signatureValid).toBe(true)
    const attempts = lake.webhooks.attempts.filter((attempt) => attempt.documentId === 'c2')
    expect(attempts.map(({attempt, status}) => [attempt, status])).toEqual([
      [1, 500],
      [2, 200],
    ])
  })

  it('gives up after two retries', async () => {
    failuresLeft.set('c3', 99)
    await createLakeClient(lake).create({_id: 'c3', _type: 'course', title: 'Three'})
    await lake.settled()
    expect(receiver.received).toHaveLength(3)
  })

  it('duplicates and reorders deliveries on request', async () => {
    const client = createLakeClient(lake)
    lake.webhooks.configure({duplicate: 1})
    await client.create({_id: 'c4', _type: 'course', title: 'Four'})
    await lake.settled()
    expect(receiver.received.map((entry) => entry.headers['sanity-document-id'])).toEqual([
      'c4',
      'c4',
    ])

    receiver.received.length = 0
    lake.webhooks.configure({hold: true})
    await client.patch('c4').set({title: 'Four b'}).commit()
    await client.patch('c4').set({title: 'Four c'}).commit()
    await lake.settled()
    lake.webhooks.release('reverse')
    await lake.settled()
    expect(bodies().map((body) => body.title)).toEqual(['Four c', 'Four b'])
  })
})

describe('webhook timeouts', () => {
  it('retries a timed-out delivery while the first attempt is still running at the receiver', async () => {
    // The receiver holds the first attempt until the retry has arrived: the overlap Sanity
    // causes when a handler outlives the delivery timeout.
    const arrivals: {key: string; inFlight: number}[] = []
    let inFlight = 0
    let retryArrived: () => void = () => {}
    const retry = new Promise<void>((resolve) => (retryArrived = resolve))
    const server = createServer((request, response) => {
      inFlight++
      arrivals.push({key: String(request.headers['idempotency-key']), inFlight})
      const finish = () => {
        inFlight--
        if (!response.destroyed) response.writeHead(200).end()
      }
      if (arrivals.length === 1) void retry.then(finish)
      else {
        retryArrived()
        finish()
      }
      request.resume()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as AddressInfo
    const lake = await startContentLake({
      projectId: 'lake',
      dataset: 'test',
      webhookTimings: {timeoutMs: 1000, retryDelayMs: 10},
      webhooks: [{name: 'slow', url: `http://127.0.0.1:${port}/`, on: ['create']}],
    })
    try {
      await createLakeClient(lake).create({_id: 't1', _type: 'course'})
      await lake.settled()
      expect(arrivals).toHaveLength(2)
      expect(arrivals[1]).toEqual({key: arrivals[0]?.key, inFlight: 2})
      expect(
        lake.webhooks.attempts.map(({attempt, status, timedOut}) => ({attempt, status, timedOut})),
      ).toEqual([
        {attempt: 1, status: 0, timedOut: true},
        {attempt: 2, status: 200, timedOut: false},
      ])
    } finally {
      await lake.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("defaults to Sanity's documented retry policy and takes shorter timings at run time", async () => {
    const lake = await startContentLake({projectId: 'lake', dataset: 'test'})
    try {
      expect(lake.webhooks.currentTimings).toEqual({
        retryDelayMs: 30_000,
        maxRetries: 2,
        timeoutMs: 10_000,
      })
      lake.webhooks.setTimings({timeoutMs: 50, retryDelayMs: 5})
      expect(lake.webhooks.currentTimings).toEqual({retryDelayMs: 5, maxRetries: 2, timeoutMs: 50})
    } finally {
      await lake.close()
    }
  })
})

describe('Sanity Function emulation', () => {
  it('calls the handler with the projection and client options that reach the lake', async () => {
    const seen: {data: unknown; titles: unknown}[] = []
    const lake = await startContentLake({
      projectId: 'lake',
      dataset: 'test',
      functions: [
        {
          name: 'on-course',
          filter: '_type == "course"',
          projection: '{_id, "operation": delta::operation()}',
          on: ['create'],
          handler: async ({context, event}: {context: FunctionContext; event: {data: unknown}}) => {
            const client = createClient({...context.clientOptions})
            seen.push({data: event.data, titles: await client.fetch('*[_type == "course"].title')})
          },
        },
      ],
    })
    try {
      await createLakeClient(lake).create({_id: 'f1', _type: 'course', title: 'Functional'})
      await lake.settled()
      expect(seen).toEqual([{data: {_id: 'f1', operation: 'create'}, titles: ['Functional']}])
      expect(lake.functions.invocations).toMatchObject([
        {name: 'on-course', documentId: 'f1', ok: true},
      ])
    } finally {
      await lake.close()
    }
  })
})
