/**
 * Port choice for the demo: the configured port when it is free, otherwise any free one, so a
 * second `npm start` (or a busy default) never fails on EADDRINUSE.
 */
import {createServer} from 'node:net'

/** Resolves to `preferred` if a loopback listener can take it, else to a port the OS hands out. */
export async function choosePort(
  preferred: number | undefined,
  host = '127.0.0.1',
): Promise<number> {
  if (preferred) {
    const taken = await tryListen(preferred, host)
    if (taken !== null) return taken
  }
  const any = await tryListen(0, host)
  if (any === null) throw new Error(`no free port on ${host}`)
  return any
}

function tryListen(port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(null))
    server.listen(port, host, () => {
      const address = server.address()
      const chosen = typeof address === 'object' && address ? address.port : null
      server.close(() => resolve(chosen))
    })
  })
}

/** Reads a port from the environment; a value that is not a port is an error naming the variable. */
export function portFromEnv(name: string, fallback: number, env = process.env): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0–65535), got ${JSON.stringify(raw)}`)
  }
  return port
}
