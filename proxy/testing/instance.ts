/**
 * One proxy instance as its own process, for the multi-instance suite: the Node adapter
 * (`startNodeServer`) configured from `PROXY_INSTANCE` (JSON), sharing a Redis store when
 * `redisUrl` is set and keeping a store of its own otherwise. Prints `{"url": …}` once listening,
 * then every log line as `[level] message`; stops on SIGTERM. Test support only.
 */
import {createClient} from 'redis'

import {startNodeServer} from '../adapters/node'
import type {ClerkProxyOptions} from '../options'
import {createRedisStore} from '../store'

export interface InstanceConfig {
  options: Omit<ClerkProxyOptions, 'store' | 'logger' | 'fetch'>
  /** A Redis shared by every instance; absent: this instance's own memory store. */
  redisUrl?: string
  redisPrefix?: string
}

const config = JSON.parse(process.env.PROXY_INSTANCE ?? '{}') as InstanceConfig
const log =
  (level: string) =>
  (message: string, ...details: unknown[]) =>
    process.stdout.write(
      `[${level}] ${[message, ...details.map((detail) => (detail instanceof Error ? detail.message : JSON.stringify(detail)))].join(' ')}\n`,
    )

const redis = config.redisUrl ? await createClient({url: config.redisUrl}).connect() : null
const server = await startNodeServer(
  {
    ...config.options,
    ...(redis ? {store: createRedisStore({client: redis, prefix: config.redisPrefix})} : {}),
    logger: {info: log('info'), warn: log('warn'), error: log('error')},
  },
  // The suite's scheduler calls /sweep, as a cron would; re-check timers stay on.
  {validitySweepMs: false},
)
process.stdout.write(`${JSON.stringify({url: server.url})}\n`)

process.once('SIGTERM', () => {
  void (async () => {
    await server.close()
    await redis?.close()
    process.exit(0)
  })()
})
