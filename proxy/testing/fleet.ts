/**
 * Several proxy instances as separate processes behind one round-robin front, as a serverless
 * host or a load balancer would spread requests: every request (Studio sync, webhook delivery,
 * cron sweep, reconcile) goes to the next instance in turn. Test support only.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {InstanceConfig} from './instance'

const here = dirname(fileURLToPath(import.meta.url))
const INSTANCE_ENTRY = resolve(here, 'instance.ts')
// Inside the repository, so the bundle's package imports resolve from its node_modules.
const INSTANCE_BUNDLE = resolve(
  here,
  '../../node_modules/.cache/sanity-plugin-clerk/proxy-instance.mjs',
)

let bundled: Promise<string> | null = null

/**
 * The instance entry bundled once into one ES module (packages stay imports): each process then
 * starts on plain Node in well under a second, where compiling the sources on start (tsx) costs
 * seconds per process on a busy machine.
 */
function instanceBundle(): Promise<string> {
  bundled ??= import('esbuild').then(async ({build}) => {
    await build({
      entryPoints: [INSTANCE_ENTRY],
      outfile: INSTANCE_BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
      logLevel: 'silent',
    })
    return INSTANCE_BUNDLE
  })
  return bundled
}

export interface Fleet {
  /** The round-robin front: `http://127.0.0.1:<port>`. */
  url: string
  /** Each instance's own URL. */
  instances: string[]
  /** Every log line of every instance, prefixed with its index. */
  logs: string[]
  close(): Promise<void>
}

export interface FleetOptions {
  count: number
  config: InstanceConfig
  /** The lake's CA certificate: instances read it at start-up (`NODE_EXTRA_CA_CERTS`). */
  caCertPath: string
}

function startInstance(index: number, bundle: string, options: FleetOptions, logs: string[]) {
  const child = spawn(process.execPath, [bundle], {
    env: {
      ...process.env,
      PROXY_INSTANCE: JSON.stringify(options.config),
      NODE_EXTRA_CA_CERTS: options.caCertPath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise<{child: ChildProcess; url: string}>((resolveStart, reject) => {
    let buffered = ''
    let url: string | null = null
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (url === null && line.startsWith('{')) {
          url = (JSON.parse(line) as {url: string}).url
          resolveStart({child, url})
        } else if (line) logs.push(`#${index} ${line}`)
      }
    })
    let errors = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString()
      logs.push(`#${index} [stderr] ${chunk.toString().trim()}`)
    })
    child.once('exit', (code) => {
      if (url === null) reject(new Error(`proxy instance ${index} exited (${code}): ${errors}`))
    })
  })
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Starts `count` instances and the front; rejects (stopping what started) if one fails. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const logs: string[] = []
  const bundle = await instanceBundle()
  const started = await Promise.allSettled(
    Array.from({length: options.count}, (_, index) => startInstance(index, bundle, options, logs)),
  )
  const children = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  )
  const failure = started.find((result) => result.status === 'rejected')
  if (failure) {
    for (const {child} of children) child.kill('SIGKILL')
    throw (failure as PromiseRejectedResult).reason
  }
  const instances = children.map(({url}) => url)
  let turn = 0
  const front: Server = createServer((request, response) => {
    void (async () => {
      const target = instances[turn++ % instances.length]!
      const body = await readBody(request)
      const headers = new Headers()
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || ['host', 'connection', 'content-length'].includes(name)) continue
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
      }
      try {
        const answer = await fetch(`${target}${request.url}`, {
          method: request.method,
          headers,
          ...(body.length > 0 ? {body: new Uint8Array(body)} : {}),
        })
        const text = Buffer.from(await answer.arrayBuffer())
        const answerHeaders: Record<string, string> = {}
        answer.headers.forEach((value, name) => {
          if (name !== 'transfer-encoding' && name !== 'content-length') answerHeaders[name] = value
        })
        response.writeHead(answer.status, answerHeaders)
        response.end(text)
      } catch {
        response.writeHead(502)
        response.end()
      }
    })()
  })
  await new Promise<void>((resolveListen) => front.listen(0, '127.0.0.1', resolveListen))
  const {port} = front.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    instances,
    logs,
    async close() {
      front.closeAllConnections()
      await new Promise((resolveClose) => front.close(resolveClose))
      await Promise.all(
        children.map(
          ({child}) =>
            new Promise<void>((resolveExit) => {
              if (child.exitCode !== null) return resolveExit()
              const force = setTimeout(() => child.kill('SIGKILL'), 3000)
              child.once('exit', () => {
                clearTimeout(force)
                resolveExit()
              })
              child.kill('SIGTERM')
            }),
        ),
      )
    },
  }
}
