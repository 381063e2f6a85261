/**
 * Errors the lake answers with, shaped like Sanity's so `@sanity/client` and the Studio report
 * them the way they would against the hosted API.
 */
export class LakeError extends Error {
  readonly status: number
  readonly body: Record<string, unknown>

  constructor(status: number, body: Record<string, unknown>, message: string) {
    super(message)
    this.name = 'LakeError'
    this.status = status
    this.body = body
  }
}

/** `{error: {description, type, ...}}`: the shape of query, mutation and action errors. */
export function apiError(
  status: number,
  type: string,
  description: string,
  extra: Record<string, unknown> = {},
): LakeError {
  return new LakeError(status, {error: {description, type, ...extra}}, description)
}

/** `{statusCode, error, message}`: the shape of gateway-level errors (auth, routing). */
export function gatewayError(status: number, error: string, message: string): LakeError {
  return new LakeError(status, {statusCode: status, error, message}, message)
}

export const unauthorized = (message = 'Session not found'): LakeError =>
  gatewayError(401, 'Unauthorized', message)

export const notFound = (message = 'Not found'): LakeError =>
  gatewayError(404, 'Not Found', message)

export const badRequest = (description: string): LakeError =>
  apiError(400, 'validationError', description)

/** A mutation that conflicts with the stored state; `itemType` names the per-item error. */
export function mutationConflict(description: string, id: string, itemType: string): LakeError {
  return apiError(409, 'mutationError', description, {
    items: [{error: {description, id, type: itemType}}],
  })
}
