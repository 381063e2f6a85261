import type {ClaimState, Lease, ProxyStore} from './types'

/**
 * The one Redis command the store sends: `EVAL` of a Lua script, in node-redis v5's call shape.
 * Every operation is one script, so each is atomic in Redis and costs one round trip. Described
 * structurally so the plugin needs no Redis client at run time: pass a node-redis client
 * (`createClient(...)`, connected) as it is, or adapt another client in one line, e.g. Upstash's
 * REST client on serverless:
 *
 * ```ts
 * import {Redis} from '@upstash/redis'
 * const upstash = Redis.fromEnv()
 * const store = createRedisStore({
 *   client: {eval: (script, {keys, arguments: args}) => upstash.eval(script, keys, args)},
 * })
 * ```
 */
export interface RedisEvalClient {
  eval(script: string, options: {keys: string[]; arguments: string[]}): Promise<unknown>
}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  client: RedisEvalClient
  /** Prefix of every key, so one Redis can serve several projects. Default `sanity-plugin-clerk:`. */
  prefix?: string
}

// Redis' own clock in milliseconds: every instance judges expiry and windows by the same time.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`

const SCRIPTS = {
  claim: `local state = redis.call('GET', KEYS[1])
if state then return state end
redis.call('SET', KEYS[1], 'running', 'PX', ARGV[1])
return 'claimed'`,
  complete: `redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1]) return 1`,
  release: `if redis.call('GET', KEYS[1]) == 'running' then redis.call('DEL', KEYS[1]) end return 1`,
  acquireLease: `if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local first = 0
if redis.call('EXISTS', KEYS[2]) == 0 then
  ${NOW}
  redis.call('SET', KEYS[2], string.format('%d', now * 1000))
  first = 1
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return {token, first}`,
  renewLease: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  releaseLease: `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end return 1`,
  readCursor: `return redis.call('GET', KEYS[1])`,
  advanceCursor: `local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3])
return 1`,
  takeRateSlot: `${NOW}
local per = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - per)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], per)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + per - now)`,
  schedule: `redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[2]) return 1`,
  takeDue: `local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due`,
  remember: `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1`,
  recall: `return redis.call('MGET', unpack(KEYS))`,
  now: `${NOW} return now`,
} as const

const milliseconds = (ms: number) => String(Math.max(1, Math.ceil(ms)))

/**
 * A {@link ProxyStore} on Redis (or anything that speaks its Lua scripting: Valkey, Upstash,
 * Redis Cloud): share it between all instances of the proxy. Needs Redis ≥ 6.2, one node (not Redis Cluster: a lease and its fencing counter are two keys). Time comes from
 * Redis' clock, so instances with skewed clocks still agree on leases and windows.
 *
 * @example
 * ```ts
 * import {createClient} from 'redis'
 * const redis = await createClient({url: process.env.REDIS_URL}).connect()
 * const handler = createClerkProxy({...options, store: createRedisStore({client: redis})})
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): ProxyStore {
  const prefix = options.prefix ?? 'sanity-plugin-clerk:'
  const run = (script: keyof typeof SCRIPTS, keys: string[], args: string[] = []) =>
    options.client.eval(SCRIPTS[script], {
      keys: keys.map((key) => `${prefix}${key}`),
      arguments: args,
    })
  const asNumber = (value: unknown) => Number(value)

  return {
    async claim(key, runningTtlMs) {
      return (await run('claim', [`claim:${key}`], [milliseconds(runningTtlMs)])) as ClaimState
    },
    async complete(key, doneTtlMs) {
      await run('complete', [`claim:${key}`], [milliseconds(doneTtlMs)])
    },
    async release(key) {
      await run('release', [`claim:${key}`])
    },

    async acquireLease(name, ttlMs): Promise<Lease | null> {
      const granted = await run(
        'acquireLease',
        [`lease:${name}`, `fence:${name}`],
        [milliseconds(ttlMs)],
      )
      if (!Array.isArray(granted)) return null
      const token = asNumber(granted[0])
      return {name, token, previousToken: asNumber(granted[1]) === 1 ? null : token - 1}
    },
    async renewLease(lease, ttlMs) {
      const renewed = await run(
        'renewLease',
        [`lease:${lease.name}`],
        [String(lease.token), milliseconds(ttlMs)],
      )
      return asNumber(renewed) === 1
    },
    async releaseLease(lease) {
      await run('releaseLease', [`lease:${lease.name}`], [String(lease.token)])
    },

    async readCursor(name) {
      const value = await run('readCursor', [`cursor:${name}`])
      return typeof value === 'string' ? value : null
    },
    async advanceCursor(name, expected, next) {
      const moved = await run(
        'advanceCursor',
        [`cursor:${name}`],
        [expected === null ? '0' : '1', expected ?? '', next],
      )
      return asNumber(moved) === 1
    },

    async takeRateSlot(name, {requests, perMs}) {
      const wait = await run(
        'takeRateSlot',
        [`rate:${name}`],
        [String(requests), milliseconds(perMs), crypto.randomUUID()],
      )
      return asNumber(wait)
    },

    async schedule(queue, member, dueAt) {
      await run('schedule', [`queue:${queue}`], [String(Math.floor(dueAt)), member])
    },
    async takeDue(queue, now, limit) {
      const due = await run(
        'takeDue',
        [`queue:${queue}`],
        [String(Math.floor(now)), String(Math.max(1, Math.floor(limit)))],
      )
      return Array.isArray(due) ? due.map(String) : []
    },

    async remember(key, value, ttlMs) {
      await run('remember', [`value:${key}`], [value, milliseconds(ttlMs)])
    },
    async recall(keys) {
      if (keys.length === 0) return []
      const values = await run(
        'recall',
        keys.map((key) => `value:${key}`),
      )
      return (Array.isArray(values) ? values : []).map((value) =>
        typeof value === 'string' ? value : null,
      )
    },

    async now() {
      return asNumber(await run('now', []))
    },
  }
}
