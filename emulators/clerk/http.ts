/** Low-level HTTP helpers: bounded body reading and JSON replies with Clerk's exact headers. */
import type {IncomingMessage, ServerResponse} from 'node:http'

/** Clerk's SDK parses JSON only for exactly this content type, so no charset is ever added. */
export const JSON_CONTENT_TYPE = 'application/json'

/** Bodies beyond this many times the limit are not even drained: the connection is dropped. */
const DRAIN_FACTOR = 16

export type BodyResult = {ok: true; text: string} | {ok: false; reason: 'too-large' | 'aborted'}

/**
 * Reads the body up to `limitBytes`. A larger body is drained (so the client can read the 413)
 * unless it is absurdly large, in which case the socket is destroyed.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limitBytes) chunks.push(chunk)
      else if (size > limitBytes * DRAIN_FACTOR) request.destroy()
    })
    request.on('end', () =>
      resolve(
        size > limitBytes
          ? {ok: false, reason: 'too-large'}
          : {ok: true, text: Buffer.concat(chunks).toString('utf8')},
      ),
    )
    request.on('error', () => resolve({ok: false, reason: 'aborted'}))
    request.on('close', () => {
      if (!request.complete) resolve({ok: false, reason: 'aborted'})
    })
  })
}

/** Writes a JSON reply; the status text is Node's default reason phrase, as Clerk's SDK expects. */
export function sendJson(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
  contentType = JSON_CONTENT_TYPE,
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
  })
  response.end(text)
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
