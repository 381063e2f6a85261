/**
 * A load generator in a process of its own, so the server it measures keeps its own core (on the
 * same thread, the client's HTTP stack costs more CPU per request than the server's). Started by
 * `startLoadProcess`: reads the target (`LoadTarget`) from argv, prints `ready`, then answers each
 * `LoadRun` line on stdin with one `LoadResult` line, and stops when stdin closes.
 */
import {connect} from 'node:http2'
import {Agent, request} from 'node:https'
import {createInterface} from 'node:readline'

import {measureThroughput} from './load'
import type {LoadResult, LoadRun, LoadTarget} from './load-process'
import {lakeFetch} from './stack'

const target = JSON.parse(process.argv[2] ?? '{}') as LoadTarget
const fetch = lakeFetch(target.caCert)
const session = connect(target.origin, {ca: target.caCert})
session.unref()
const origin = new URL(target.origin)
/** Keep-alive sockets, as many as requests in flight (made anew when a run asks for another number). */
let agent = new Agent({keepAlive: true, ca: target.caCert})

/** One request over HTTP/1.1 with node:https, the leanest client Node has. */
function http1(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {agent, host: origin.hostname, port: origin.port, path, headers: target.headers},
      (response) => {
        response.on('data', () => {})
        response.on('end', () =>
          response.statusCode === 200
            ? resolve()
            : reject(new Error(`${response.statusCode} for ${path}`)),
        )
        response.on('error', reject)
      },
    )
    outgoing.on('error', reject)
    outgoing.end()
  })
}

/** One request over HTTP/1.1 through undici's fetch, as the proxy and `@sanity/client` send. */
async function http1Fetch(path: string): Promise<void> {
  const response = await fetch(`${target.origin}${path}`, {headers: target.headers})
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`${response.status} for ${path}`)
}

/** One stream on the one HTTP/2 session (as a browser multiplexes them). */
function http2(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = session.request({':path': path, ...target.headers})
    let status = 0
    stream.on('response', (headers) => {
      status = Number(headers[':status'])
    })
    stream.on('data', () => {})
    stream.on('end', () =>
      status === 200 ? resolve() : reject(new Error(`HTTP/2 ${status} for ${path}`)),
    )
    stream.on('error', reject)
    stream.end()
  })
}

const CLIENTS: Record<LoadRun['client'], (path: string) => Promise<void>> = {
  'node-https': http1,
  'undici-fetch': http1Fetch,
  'node-http2': http2,
}

async function run({paths, client, concurrency, durationMs}: LoadRun): Promise<LoadResult> {
  if (agent.maxSockets !== concurrency) {
    agent.destroy()
    agent = new Agent({keepAlive: true, maxSockets: concurrency, ca: target.caCert})
  }
  const send = CLIENTS[client]
  let sent = 0
  const next = () => send(paths[sent++ % paths.length] as string)
  const result = await measureThroughput(next, {concurrency, durationMs})
  const {firstError} = result
  return {
    requests: result.requests,
    failures: result.failures,
    requestsPerSecond: result.requestsPerSecond,
    firstError: firstError === null ? null : String(firstError),
  }
}

process.stdout.write('ready\n')
const lines = createInterface({input: process.stdin})
lines.on('line', (line) => {
  void run(JSON.parse(line) as LoadRun).then((result) =>
    process.stdout.write(`${JSON.stringify(result)}\n`),
  )
})
lines.on('close', () => {
  agent.destroy()
  session.close()
  process.exit(0)
})
