/**
 * Runs the real proxy in a process of its own, behind the Node adapter, so what it holds in
 * memory is measured apart from the stand-ins (which keep every user and document). Started by
 * `startProxyProcess`: reads its settings from argv as JSON, prints `{url}` as one line, answers
 * `GET /__bench/memory` with its peak and current RSS and the CPU it has used, and stops when stdin
 * closes.
 */
import {createClerkProxy} from '../../proxy'
import {startNodeServer} from '../../proxy/adapters/node'
import {proxyOptionsFor, type StandInAddresses} from './stack'
import {cpuMsOf} from './stats'

/** What the parent sends: where the stand-ins are, and the webhook secret to accept. */
export interface ProxyChildSettings {
  addresses: StandInAddresses
  webhookSecret: string
}

/** `GET /__bench/memory`: this process's memory, in bytes, and its CPU time so far. */
export interface ProxyChildMemory {
  /** Highest resident set size since the process started (getrusage). */
  peakRssBytes: number
  rssBytes: number
  /** User + system CPU since the process started, every thread (GC included). */
  cpuMs: number
}

const settings = JSON.parse(process.argv[2] ?? '{}') as ProxyChildSettings
const proxy = createClerkProxy(proxyOptionsFor(settings.addresses, settings.webhookSecret))
const server = await startNodeServer(async (request) => {
  if (new URL(request.url).pathname !== '/__bench/memory') return proxy(request)
  return Response.json({
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBytes: process.memoryUsage.rss(),
    cpuMs: cpuMsOf(process.cpuUsage()),
  } satisfies ProxyChildMemory)
})
process.stdout.write(`${JSON.stringify({url: server.url})}\n`)
process.stdin.resume()
process.stdin.on('close', () => {
  void server.close().then(() => process.exit(0))
})
