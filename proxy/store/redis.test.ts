import {createClient} from 'redis'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {startRedisServer, type RedisServer} from '../testing/redis-server'
import {describeStoreContract} from './contract'
import {createRedisStore} from './redis'

let server: RedisServer
let client: ReturnType<typeof createClient>
let stores = 0

beforeAll(async () => {
  server = await startRedisServer()
  client = createClient({url: server.url})
  await client.connect()
})

afterAll(async () => {
  await client?.close()
  await server?.stop()
})

// Each test gets its own prefix: a fresh, empty store on the same server.
describeStoreContract('redis', async () => ({
  store: createRedisStore({client, prefix: `test-${++stores}:`}),
  advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}))

it('shares state between two clients, as between two proxy instances', async () => {
  const other = createClient({url: server.url})
  await other.connect()
  try {
    const first = createRedisStore({client, prefix: 'shared:'})
    const second = createRedisStore({client: other, prefix: 'shared:'})
    expect(await first.claim('delivery', 60_000)).toBe('claimed')
    expect(await second.claim('delivery', 60_000)).toBe('running')
    const lease = await second.acquireLease('subject:user_1', 60_000)
    expect(await first.acquireLease('subject:user_1', 60_000)).toBeNull()
    await second.releaseLease(lease!)
    expect(await first.acquireLease('subject:user_1', 60_000)).not.toBeNull()
    // Another project's prefix sees none of it.
    expect(await createRedisStore({client, prefix: 'other:'}).claim('delivery', 1000)).toBe(
      'claimed',
    )
  } finally {
    await other.close()
  }
})

it('never repeats a token after Redis lost its keys: the first grant starts from its clock', async () => {
  const store = createRedisStore({client, prefix: 'flushed:'})
  const before = (await store.acquireLease('subject:user_1', 60_000))!
  await store.releaseLease(before)
  await client.del(['flushed:fence:subject:user_1', 'flushed:lease:subject:user_1'])
  await new Promise((resolve) => setTimeout(resolve, 5))
  const after = (await store.acquireLease('subject:user_1', 60_000))!
  expect(after.previousToken).toBeNull()
  expect(after.token).toBeGreaterThan(before.token)
})
