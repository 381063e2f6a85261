/**
 * Clerk-shaped errors. Handlers throw {@link ClerkApiError}; the server turns it into
 * `{errors: [{code, message, long_message, meta}], meta: {}, clerk_trace_id}`.
 */

/** One entry of the `errors` array, as Clerk sends it. */
export interface ClerkErrorJson {
  code: string
  message: string
  long_message: string
  meta: Record<string, unknown>
}

/** The body of every non-2xx response. */
export interface ClerkErrorsJson {
  errors: ClerkErrorJson[]
  meta: Record<string, unknown>
  clerk_trace_id: string
}

/** An error the emulator answers with; `status` is the HTTP status. */
export class ClerkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly longMessage: string = message,
    readonly meta: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ClerkApiError'
  }

  /** The response body for this error. */
  toJson(traceId: string): ClerkErrorsJson {
    const error = {
      code: this.code,
      message: this.message,
      long_message: this.longMessage,
      meta: this.meta,
    }
    return {errors: [error], meta: {}, clerk_trace_id: traceId}
  }
}

/** Clerk's own wording for a missing or wrong secret key. */
const INVALID_KEY_TEXT =
  'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.'

export function keyInvalid(): ClerkApiError {
  return new ClerkApiError(401, 'clerk_key_invalid', INVALID_KEY_TEXT, INVALID_KEY_TEXT)
}

export function notFound(what = 'Resource'): ClerkApiError {
  return new ClerkApiError(404, 'resource_not_found', 'not found', `${what} not found`)
}

export function routeNotFound(method: string, path: string): ClerkApiError {
  return new ClerkApiError(
    404,
    'resource_not_found',
    'not found',
    `No route matches ${method} ${path}`,
  )
}

export function tooManyRequests(retryAfterSeconds: number): ClerkApiError {
  return new ClerkApiError(
    429,
    'too_many_requests',
    'Too many requests',
    `Too many requests, retry after ${retryAfterSeconds} seconds.`,
    {},
    {'Retry-After': String(retryAfterSeconds)},
  )
}

export function malformedBody(reason: string): ClerkApiError {
  return new ClerkApiError(400, 'malformed_request', 'malformed request', reason)
}

export function bodyTooLarge(limitBytes: number): ClerkApiError {
  return new ClerkApiError(
    413,
    'request_body_too_large',
    'request body too large',
    `The request body exceeds the limit of ${limitBytes} bytes.`,
  )
}

/** A 422 about one parameter, with `meta.param_name` like Clerk's `form_param_*` errors. */
export function paramError(
  code: string,
  paramName: string,
  message: string,
  longMessage = `${paramName}: ${message}`,
): ClerkApiError {
  return new ClerkApiError(422, code, message, longMessage, {param_name: paramName})
}

export function paramMissing(paramName: string): ClerkApiError {
  return paramError(
    'form_param_missing',
    paramName,
    'missing data',
    `${paramName} must be included.`,
  )
}

export function paramInvalid(paramName: string, longMessage: string): ClerkApiError {
  return paramError('form_param_format_invalid', paramName, 'is invalid', longMessage)
}

export function paramUnknown(paramName: string): ClerkApiError {
  return paramError(
    'form_param_unknown',
    paramName,
    'is unknown',
    `${paramName} is not a valid parameter for this request.`,
  )
}

export function identifierTaken(paramName: string, longMessage: string): ClerkApiError {
  return paramError('form_identifier_exists', paramName, 'is taken', longMessage)
}
