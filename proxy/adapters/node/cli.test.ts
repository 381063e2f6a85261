import {randomBytes} from 'node:crypto'
import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest'

import {startClerkEmulator, type ClerkEmulator} from '../../../emulators/clerk'
import {startContentLake, type ContentLake} from '../../../emulators/content-lake'
import {runCli as runInProcess} from './runCli'

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
// Made per run: nothing shaped like a real key sits in the repository.
const SECRET = `sk_test_${randomBytes(16).toString('hex')}`

let clerk: ClerkEmulator
let lake: ContentLake

beforeAll(async () => {
  clerk = await startClerkEmulator({secretKey: SECRET, rateLimit: false})
  lake = await startContentLake({projectId: 'cli', dataset: 'test'})
})
afterAll(async () => {
  await clerk?.close()
  await lake?.close()
})

afterEach(() => vi.restoreAllMocks())

/** Everything the CLI prints through `console` while a test runs in this process. */
function captureConsole() {
  const lines: string[] = []
  const keep = (...args: unknown[]) => void lines.push(args.join(' '))
  vi.spyOn(console, 'error').mockImplementation(keep)
  vi.spyOn(console, 'info').mockImplementation(keep)
  return {text: () => lines.join('\n')}
}

function environment(overrides: Record<string, string | undefined> = {}) {
  return {
    PATH: process.env.PATH,
    CLERK_SECRET_KEY: SECRET,
    CLERK_API_URL: clerk.url,
    SANITY_PROJECT_ID: lake.projectId,
    SANITY_DATASET: lake.dataset,
    SANITY_API_HOST: lake.apiHost,
    SANITY_TOKEN: lake.clientConfig('viewer').token,
    CLERK_PROXY_ALLOWED_ORIGINS: 'https://studio.example.test',
    CLERK_PROXY_BASE_PATH: '/api/clerk',
    // The proxy's own calls to the lake (identity, queries) trust its certificate this way.
    NODE_EXTRA_CA_CERTS: lake.caCertPath,
    ...overrides,
  }
}

/** Runs the bin in its own process, as `npx sanity-plugin-clerk proxy` does (tsx for the source). */
function runCli(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const printed = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = output.match(pattern)
        if (match) resolve(match)
      }
      child.stdout.on('data', check)
      child.stderr.on('data', check)
      void exited.then(() => reject(new Error(`exited before printing ${pattern}: ${output}`)))
      check()
    })
  return {child, exited, printed, output: () => output}
}

describe('sanity-plugin-clerk proxy (the bin)', () => {
  it('prints its URL, serves the proxy, and stops cleanly on SIGTERM', async () => {
    const cli = runCli(['proxy', '--port', '0'], environment())
    const [, url] = await cli.printed(/listening on (http:\/\/127\.0\.0\.1:\d+\/api\/clerk)/)
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    const me = await fetch(`${url}/me`, {
      headers: {authorization: `Bearer ${lake.clientConfig('editor').token}`},
    })
    expect(await me.json()).toMatchObject({
      sanityUserId: 'pEditor',
      permissions: ['read', 'search', 'sync', 'invite'],
    })
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(0)
    expect(cli.output()).toContain('stopped')
    expect(cli.output()).not.toContain(SECRET)
  })

  it('stops on SIGINT too', async () => {
    const cli = runCli(['proxy', '--port', '0'], environment())
    await cli.printed(/listening on/)
    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
  })

  it('exits 1 naming a missing variable, without printing the secret', async () => {
    const printed = captureConsole()
    expect(await runInProcess(['proxy'], environment({SANITY_TOKEN: undefined}))).toBe(1)
    expect(printed.text()).toContain('SANITY_TOKEN is not set')
    expect(printed.text()).not.toContain(SECRET)
  })

  it('exits 1 on invalid configuration and on unknown commands, with usage', async () => {
    const printed = captureConsole()
    const origins = environment({CLERK_PROXY_ALLOWED_ORIGINS: 'not-an-origin'})
    expect(await runInProcess(['proxy'], origins)).toBe(1)
    expect(printed.text()).toContain('"allowedOrigins[0]"')
    expect(await runInProcess(['serve'], environment())).toBe(1)
    expect(printed.text()).toContain('Usage: sanity-plugin-clerk proxy')
    expect(await runInProcess(['proxy', '--port', '70000'], environment())).toBe(1)
    expect(printed.text()).toContain('--port must be 0-65535')
    expect(printed.text()).not.toContain(SECRET)
  })
})
