// Only type imports from node:http at the top: the module is also reachable from the package's
// proxy entry, which edge bundles import; the server itself is loaded when one is created.
import type {IncomingMessage, Server, ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {
  createClerkProxy,
  createClerkProxyHandler,
  createProxyEngine,
  proxyLogger,
  type ClerkProxyHandler,
} from '../../createClerkProxy'
import {rememberSocketAddress} from '../../http/client'
import {resolveClerkProxyOptions, type ClerkProxyOptions} from '../../options'

/**
 * The request body as a Web stream that pauses the socket while the reader is behind. Cancelling
 * it (a body over the size limit) discards the rest instead of destroying the socket, so the 413
 * answer still reaches the client.
 */
function requestBodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Uint8Array) => {
        if (cancelled) return
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      })
      req.once('end', () => cancelled || controller.close())
      req.once('error', (error) => cancelled || controller.error(error))
    },
    pull() {
      req.resume()
    },
    cancel() {
      cancelled = true
      req.removeAllListeners('data')
      req.resume()
    },
  })
}

/**
 * A Web `Request` for a Node request. Its body streams from the socket (nothing is buffered
 * here; the handler enforces size limits), and its `signal` aborts when the client goes away,
 * which stops a running reconcile.
 */
export function toWebRequest(req: IncomingMessage, res: ServerResponse): Request {
  const abort = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) abort.abort()
  })
  const host = req.headers.host ?? '127.0.0.1'
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const request = new Request(new URL(req.url ?? '/', `http://${host}`), {
    method: req.method ?? 'GET',
    headers,
    signal: abort.signal,
    ...(hasBody ? {body: requestBodyStream(req), duplex: 'half'} : {}),
  })
  // The peer address is what tells clients apart for the limits before identity.
  return rememberSocketAddress(request, req.socket.remoteAddress)
}

/**
 * Writes a Web `Response` to a Node response, streaming its body chunk by chunk with
 * backpressure. When the client disconnects, the body stream is cancelled (so the producer
 * stops) instead of being read to the end.
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value
  })
  res.writeHead(response.status, headers)
  if (!response.body) {
    res.end()
    return
  }
  const reader = response.body.getReader()
  const cancelOnClose = () => void reader.cancel().catch(() => {})
  res.once('close', cancelOnClose)
  try {
    for (;;) {
      const {done, value} = await reader.read()
      if (done || res.destroyed) break
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve)
          res.once('close', resolve)
        })
      }
    }
  } finally {
    res.off('close', cancelOnClose)
    res.end()
  }
}

/** A Node `request` listener serving `handler`. */
export function createNodeRequestListener(handler: ClerkProxyHandler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const response = await handler(toWebRequest(req, res))
        // A refused body (413) is left unread: close the connection rather than drain it.
        if (!req.complete) res.shouldKeepAlive = false
        await sendWebResponse(res, response)
      } catch (error) {
        console.error(
          'sanity-plugin-clerk/proxy: the Node adapter failed',
          (error as Error).message,
        )
        if (!res.headersSent) res.writeHead(500, {'content-type': 'application/json'})
        res.end()
      }
    })()
  }
}

/** A Node HTTP server (not yet listening) serving the proxy, from a handler or proxy options. */
export async function createNodeServer(
  handlerOrOptions: ClerkProxyHandler | ClerkProxyOptions,
): Promise<Server> {
  const handler =
    typeof handlerOrOptions === 'function' ? handlerOrOptions : createClerkProxy(handlerOrOptions)
  const {createServer} = await import('node:http')
  return createServer(createNodeRequestListener(handler))
}

/** A listening proxy server. */
export interface RunningNodeServer {
  server: Server
  /** `http://127.0.0.1:<port>` (plus nothing: add the proxy's base path yourself). */
  url: string
  close(): Promise<void>
}

/** Options of {@link startNodeServer}. */
export interface StartNodeServerOptions {
  /** Default: any free port. */
  port?: number
  /** Default `127.0.0.1`. */
  host?: string
  /**
   * How often the server re-syncs subjects whose validity windows started or ended since the
   * last sweep (and runs due re-checks): the longest an expiry waits to reach Clerk. Default the
   * options' `sweepIntervalMs` (60 s); `false` turns the timer off (a scheduler calling `/sweep`
   * then does it). Only when the server is started from proxy options (a bare handler has no
   * engine to sweep).
   */
  validitySweepMs?: number | false
}

/**
 * Starts the proxy on a Node HTTP server on `host` (default 127.0.0.1) and `port` (default: any
 * free). Started from proxy options, it also runs the validity sweep on a schedule.
 */
export async function startNodeServer(
  handlerOrOptions: ClerkProxyHandler | ClerkProxyOptions,
  {port = 0, host = '127.0.0.1', validitySweepMs}: StartNodeServerOptions = {},
): Promise<RunningNodeServer> {
  let handler: ClerkProxyHandler
  let sweeper: ReturnType<typeof setInterval> | undefined
  if (typeof handlerOrOptions === 'function') {
    handler = handlerOrOptions
  } else {
    const options = resolveClerkProxyOptions({
      ...handlerOrOptions,
      // The timer's interval is the sweep's schedule: its first look-back follows it.
      ...(typeof validitySweepMs === 'number' ? {sweepIntervalMs: validitySweepMs} : {}),
    })
    const engine = createProxyEngine(options)
    handler = createClerkProxyHandler({options, engine})
    const interval = validitySweepMs ?? options.sweepIntervalMs
    if (interval !== false) {
      const logger = proxyLogger(options)
      sweeper = setInterval(() => {
        engine.sweepValidity().catch((error: unknown) => {
          logger.error('validity sweep failed; it will cover this window next time', error)
        })
      }, interval)
      sweeper.unref()
    }
  }
  const server = await createNodeServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    server,
    url: `http://${hostname}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(sweeper)
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
