/**
 * A private, throw-away redis-server for tests: Debian's package, installed when missing (as
 * root, like Chromium for the browser journeys), started on a free loopback port with nothing
 * persisted, and stopped by the test that started it. Test support only.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {createServer} from 'node:net'

export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server'

/** Installs Debian's `redis-server` when it is missing; throws with the command when not root. */
export function ensureRedisServer(): void {
  if (existsSync(REDIS_SERVER_PATH)) return
  if (process.getuid?.() !== 0) {
    throw new Error(
      `redis-server is missing at ${REDIS_SERVER_PATH}. Install it with "sudo apt-get install -y redis-server" or set REDIS_SERVER_PATH.`,
    )
  }
  console.info('Installing redis-server from Debian (apt-get install redis-server)…')
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  execFileSync('apt-get', ['update', '-qq'], {stdio: 'inherit', env})
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], {
    stdio: 'inherit',
    env,
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A running private redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string
  port: number
  stop(): Promise<void>
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER_PATH,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    {stdio: ['ignore', 'pipe', 'pipe']},
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve(child)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.resume()
    child.once('error', reject)
    child.once('exit', (code) =>
      reject(
        new Error(`redis-server exited (${code}) before it was ready:\n${output.slice(-500)}`),
      ),
    )
  })
}

/** Starts a private redis-server (installing it first when missing). */
export async function startRedisServer(): Promise<RedisServer> {
  ensureRedisServer()
  let lastError: unknown
  // A free port can be taken between the probe and the start: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    try {
      const child = await launch(port)
      const killOnExit = () => child.kill('SIGKILL')
      process.once('exit', killOnExit)
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise<void>((resolve) => {
            process.off('exit', killOnExit)
            if (child.exitCode !== null) return resolve()
            child.once('exit', () => resolve())
            child.kill('SIGTERM')
          }),
      }
    } catch (error) {
      lastError = error
    }
  }
  throw lastError
}
