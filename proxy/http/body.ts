import {ProxyHttpError, badRequest} from './errors'

const tooLarge = (limitBytes: number) =>
  new ProxyHttpError(
    413,
    'payload_too_large',
    `The request body is larger than ${limitBytes} bytes.`,
  )

// Without `stream`, each decode() starts afresh: one decoder serves every request.
const strictUtf8 = new TextDecoder('utf-8', {fatal: true})

/**
 * Reads the request body as UTF-8 text, refusing more than `limitBytes` without buffering it all:
 * a declared `Content-Length` above the limit is refused before reading, and a body that streams
 * past the limit is cancelled as soon as it does. The text is exactly what was sent, so webhook
 * signatures can be checked against it.
 */
export async function readTextBody(request: Request, limitBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > limitBytes) throw tooLarge(limitBytes)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const {done, value} = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limitBytes) {
      await reader.cancel()
      throw tooLarge(limitBytes)
    }
    chunks.push(value)
  }
  const bytes = chunks.length === 1 ? chunks[0]! : new Uint8Array(total)
  if (chunks.length > 1) {
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.byteLength
    }
  }
  try {
    return strictUtf8.decode(bytes)
  } catch {
    throw badRequest('invalid_body', 'The request body is not valid UTF-8.')
  }
}

/**
 * Refuses (415) a body not declared as `application/json` before reading it. A browser sends
 * `text/plain` and form types cross-origin without a preflight; only JSON is what the routes
 * read, so nothing else is taken for it.
 */
export function requireJsonContentType(request: Request): void {
  const declared = request.headers.get('content-type')
  const type = declared?.split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') return
  throw new ProxyHttpError(
    415,
    'unsupported_media_type',
    `Send the body as JSON with "Content-Type: application/json" (got ${
      declared ? JSON.stringify(declared.slice(0, 80)) : 'none'
    }).`,
  )
}

/**
 * Reads and parses a JSON body (see {@link readTextBody}): 415 unless declared as JSON,
 * malformed JSON is a 400.
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  requireJsonContentType(request)
  const text = await readTextBody(request, limitBytes)
  if (!text.trim()) throw badRequest('invalid_json', 'The request body is empty; send JSON.')
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON.')
  }
}

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
