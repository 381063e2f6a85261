import {jsonBodyOf} from './responses'

/** Where the proxy writes its log lines. Defaults to `console`. */
export interface ProxyLogger {
  info(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

const REDACTED = '[redacted]'

// Secret shapes that must never reach a log even when they are not one of the configured values:
// Clerk secret keys, and bearer tokens quoted from a header.
const CLERK_KEY = /sk_(?:test|live)_[A-Za-z0-9]+/g
const QUOTED_BEARER = /(bearer\s+)[^\s"',]+/gi
// What every match of QUOTED_BEARER contains, tested without `g` (no lastIndex state).
const BEARER_START = /bearer\s/i

/**
 * Whether `text` may hold something {@link redactText} replaces: a configured secret, or the
 * start of a secret shape. Most text holds none, and is then kept as it is, uncopied.
 */
function mayHoldSecret(text: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) if (secret && text.includes(secret)) return true
  return text.includes('sk_') || BEARER_START.test(text)
}

/** `text` with every configured secret and every secret-shaped substring replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  if (!mayHoldSecret(text, secrets)) return text
  let result = text
  for (const secret of secrets) {
    if (secret) result = result.split(secret).join(REDACTED)
  }
  return result
    .replace(CLERK_KEY, REDACTED)
    .replace(QUOTED_BEARER, (_match, prefix: string) => `${prefix}${REDACTED}`)
}

/** An array or an object literal: what {@link redactValue} may hand back unchanged. */
function isPlainData(item: object): boolean {
  if (Array.isArray(item)) return true
  const prototype = Object.getPrototypeOf(item) as unknown
  return prototype === Object.prototype || prototype === null
}

/**
 * `value` made safe to log: strings redacted at any depth, errors turned into plain objects
 * (name, message, own fields, stack; all redacted), cycles cut. Plain data with nothing to
 * redact comes back as it is (not copied).
 */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  const seen = new WeakSet<object>()
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') return redactText(item, secrets)
    if (typeof item !== 'object' || item === null) return item
    if (seen.has(item)) return '[circular]'
    seen.add(item)
    if (item instanceof Error) {
      // Own fields such as `code`, `status` and `clerkTraceId` are what an operator needs.
      const fields = Object.fromEntries(
        Object.entries(item).map(([key, entry]) => [key, visit(entry)]),
      )
      return {
        name: item.name,
        message: redactText(item.message, secrets),
        ...fields,
        ...(item.stack ? {stack: redactText(item.stack, secrets)} : {}),
      }
    }
    if (Array.isArray(item)) return item.map(visit)
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, visit(entry)]))
  }
  return isClean(value, secrets) ? value : visit(value)
}

/**
 * Whether {@link redactValue} would hand back `value` exactly as it is: plain data whose strings
 * hold no secret, with no error, class instance, cycle or object seen twice. Checked without
 * copying anything, as most values (sync results, log details) hold nothing to redact.
 */
function isClean(value: unknown, secrets: readonly string[]): boolean {
  const seen = new WeakSet<object>()
  const check = (item: unknown): boolean => {
    if (typeof item === 'string') return !mayHoldSecret(item, secrets)
    if (typeof item !== 'object' || item === null) return true
    if (seen.has(item) || !isPlainData(item)) return false
    seen.add(item)
    if (Array.isArray(item)) return item.every(check)
    for (const key in item) {
      if (Object.hasOwn(item, key) && !check((item as Record<string, unknown>)[key])) return false
    }
    return true
  }
  return check(value)
}

/** Wraps `logger` so that nothing it is given can print one of `secrets`. */
export function createRedactingLogger(
  logger: ProxyLogger,
  secrets: readonly string[],
): ProxyLogger {
  const wrap =
    (write: (message: string, ...details: unknown[]) => void) =>
    (message: string, ...details: unknown[]) =>
      write(redactText(message, secrets), ...details.map((detail) => redactValue(detail, secrets)))
  return {
    info: wrap(logger.info.bind(logger)),
    warn: wrap(logger.warn.bind(logger)),
    error: wrap(logger.error.bind(logger)),
  }
}

/**
 * Redacts `error` in place (its message and stack), keeping its class and fields so callers can
 * still tell what failed. Returns it, for `throw redactError(error, secrets)`.
 */
export function redactError<T>(error: T, secrets: readonly string[]): T {
  if (error instanceof Error) {
    error.message = redactText(error.message, secrets)
    if (error.stack) error.stack = redactText(error.stack, secrets)
  }
  return error
}

/** One JSON document as text, redacted value by value (so escaped secrets are found too). */
function redactJsonText(text: string, secrets: readonly string[]): string {
  // Without an escape sequence every string value is a substring of the text as it stands: a
  // text that holds no secret then has no value that does.
  if (!text.includes('\\') && !mayHoldSecret(text, secrets)) return text
  try {
    return JSON.stringify(redactValue(JSON.parse(text) as unknown, secrets))
  } catch {
    return redactText(text, secrets)
  }
}

/** NDJSON redacted line by line as it streams (backpressure and cancellation pass through). */
function redactLines(secrets: readonly string[]): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()
  let pending = ''
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, {stream: true})
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        controller.enqueue(encoder.encode(`${line ? redactJsonText(line, secrets) : ''}\n`))
      }
    },
    flush(controller) {
      pending += decoder.decode()
      if (pending) controller.enqueue(encoder.encode(redactJsonText(pending, secrets)))
    },
  })
}

/**
 * `response` with every secret removed from its headers and body: the same redaction as log
 * lines, applied at the boundary so that no message relayed from Clerk or Sanity can carry a
 * key or token to a caller. JSON bodies are redacted value by value, NDJSON line by line while
 * streaming, anything else as text.
 */
export async function redactResponse(
  response: Response,
  secrets: readonly string[],
): Promise<Response> {
  // The usual case, a JSON answer of ours holding no secret, passes untouched (body unread).
  const known = jsonBodyOf(response)
  if (known !== undefined && redactJsonText(known, secrets) === known) {
    let clean = true
    response.headers.forEach((value) => {
      clean &&= !mayHoldSecret(value, secrets)
    })
    if (clean) return response
  }
  const headers = new Headers()
  response.headers.forEach((value, name) => headers.append(name, redactText(value, secrets)))
  const init = {status: response.status, statusText: response.statusText, headers}
  if (!response.body) return new Response(null, init)
  const type = headers.get('content-type')?.split(';')[0]?.trim()
  if (type === 'application/x-ndjson') {
    return new Response(response.body.pipeThrough(redactLines(secrets)), init)
  }
  const text = await response.text()
  const redacted =
    type === 'application/json' ? redactJsonText(text, secrets) : redactText(text, secrets)
  headers.delete('content-length')
  return new Response(redacted, init)
}

/** `work`'s value redacted, or its failure redacted: for results of the public API. */
export async function redactOutcome<T>(work: Promise<T>, secrets: readonly string[]): Promise<T> {
  try {
    return redactValue(await work, secrets) as T
  } catch (error) {
    throw redactError(error, secrets)
  }
}

/** `events` with every event (and a failure) redacted, pulled one at a time. */
export async function* redactEvents<T>(
  events: AsyncIterable<T>,
  secrets: readonly string[],
): AsyncGenerator<T> {
  try {
    for await (const event of events) yield redactValue(event, secrets) as T
  } catch (error) {
    throw redactError(error, secrets)
  }
}
