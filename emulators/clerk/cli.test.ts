import {spawn, type ChildProcess} from 'node:child_process'
import {createClerkClient} from '@clerk/backend'

const TSX = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname
const CLI = new URL('./cli.ts', import.meta.url).pathname

let child: ChildProcess | undefined
afterAll(() => {
  child?.kill('SIGTERM')
})

/** Starts the CLI and resolves with what it prints up to the population line. */
function startCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    child = spawn(TSX, [CLI, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (/\d+ users, \d+ organizations/.test(output)) resolve(output)
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('exit', (code) => reject(new Error(`cli exited with ${code}: ${output}`)))
  })
}

describe('cli', () => {
  it('runs on its own, prints its URL and serves the seeded population', async () => {
    const output = await startCli(['--port', '0', '--seed', 'demo'])
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
    expect(url).toBeDefined()
    expect(output).toContain('40 users, 6 organizations')
    const clerk = createClerkClient({secretKey: 'sk_test_emulator', apiUrl: url as string})
    expect(await clerk.users.getCount()).toBe(40)
  })
})
