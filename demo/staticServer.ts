/**
 * Serves a built Studio from disk on loopback. Studio routes (`/structure/course;course-1`) exist
 * only in the browser, so any path that is not a file gets `index.html` (SPA fallback).
 */
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {extname, join, normalize, resolve, sep} from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

export interface StaticServer {
  /** `http://localhost:<port>`: the origin the Studio runs on. */
  url: string
  port: number
  close(): Promise<void>
}

export interface StaticServerOptions {
  /** Directory holding `index.html`. */
  root: string
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
}

/** Starts the server; resolves once it listens. */
export async function serveStatic({
  root,
  port = 0,
  host = '127.0.0.1',
}: StaticServerOptions): Promise<StaticServer> {
  const base = resolve(root)
  const indexFile = join(base, 'index.html')
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const candidate = normalize(join(base, pathname))
    // A path that climbs out of the root is answered like any unknown route, never read.
    const inside = candidate === base || candidate.startsWith(base + sep)
    void (async () => {
      const file = inside && (await isFile(candidate)) ? candidate : null
      // Missing hashed assets must 404, or the browser parses index.html as JavaScript.
      if (!file && pathname.startsWith('/static/')) {
        response.writeHead(404, {'content-type': 'text/plain; charset=utf-8'}).end('Not found')
        return
      }
      const path = file ?? indexFile
      const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream'
      const cache = path === indexFile ? 'no-cache' : 'public, max-age=31536000, immutable'
      response.writeHead(200, {'content-type': type, 'cache-control': cache})
      if (request.method === 'HEAD') return void response.end()
      createReadStream(path)
        .on('error', () => response.destroy())
        .pipe(response)
    })()
  })
  await listen(server, port, host)
  const actualPort = (server.address() as AddressInfo).port
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    close: () => closeServer(server),
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** Listens, turning the `error` event (e.g. EADDRINUSE) into a rejection. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolveListen()
    })
  })
}

/** Closes a server, ending idle keep-alive connections so it does not linger. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose, reject) => {
    server.close((error) => (error ? reject(error) : resolveClose()))
    server.closeAllConnections()
  })
}
