import type {ProxyErrorBody} from '../../core/contract'

/** Extra facts an error may carry to the caller: Clerk's trace id and when to retry. */
export interface ProxyErrorDetails {
  clerkTraceId?: string
  retryAfter?: number
}

/**
 * An error that becomes a `ProxyErrorBody` response with its status. Route code throws it; the
 * handler turns it into JSON, so every failure has the same shape.
 */
export class ProxyHttpError extends Error {
  override readonly name = 'ProxyHttpError'

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ProxyErrorDetails = {},
  ) {
    super(message)
  }

  /** The wire shape of this error. */
  toBody(): ProxyErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details.clerkTraceId ? {clerkTraceId: this.details.clerkTraceId} : {}),
        ...(this.details.retryAfter === undefined ? {} : {retryAfter: this.details.retryAfter}),
      },
    }
  }
}

/** Shorthands for the errors routes raise most. */
export const badRequest = (code: string, message: string) => new ProxyHttpError(400, code, message)
export const unprocessable = (code: string, message: string) =>
  new ProxyHttpError(422, code, message)
export const notFound = (message: string) => new ProxyHttpError(404, 'not_found', message)
