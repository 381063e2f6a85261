/** Where the proxy writes its log lines. Defaults to `console`. */
export interface ProxyLogger {
  info(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

const REDACTED = '[redacted]'

// Secret shapes that must never reach a log even when they are not one of the configured values:
// Clerk secret keys, and bearer tokens quoted from a header.
const SECRET_SHAPES = [/sk_(?:test|live)_[A-Za-z0-9]+/g, /(bearer\s+)[^\s"',]+/gi]

/** `text` with every configured secret and every secret-shaped substring replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) {
    if (secret) result = result.split(secret).join(REDACTED)
  }
  return result
    .replace(SECRET_SHAPES[0]!, REDACTED)
    .replace(SECRET_SHAPES[1]!, (_match, prefix: string) => `${prefix}${REDACTED}`)
}

/**
 * A copy of `value` safe to log: strings redacted at any depth, errors turned into plain objects
 * (name, message, own fields, stack; all redacted), cycles cut.
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
  return visit(value)
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
