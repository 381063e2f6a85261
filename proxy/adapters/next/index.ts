import {createClerkProxy, type ClerkProxyHandler} from '../../createClerkProxy'
import type {ClerkProxyOptions} from '../../options'

/** A Next.js App Router route handler (a `NextRequest` is a `Request`). */
export type NextRouteHandler = (request: Request) => Promise<Response>

export interface NextRouteHandlers {
  GET: NextRouteHandler
  POST: NextRouteHandler
  OPTIONS: NextRouteHandler
}

/**
 * Route handlers for `app/api/clerk/[...path]/route.ts`. Pass options, or a function returning
 * them: it runs on the first request, so `next build` works without the runtime secrets. Set
 * `basePath` to the route's folder (`/api/clerk`).
 */
export function createNextRouteHandlers(
  options: ClerkProxyOptions | (() => ClerkProxyOptions),
): NextRouteHandlers {
  let handler: ClerkProxyHandler | undefined
  const serve: NextRouteHandler = async (request) => {
    handler ??= createClerkProxy(typeof options === 'function' ? options() : options)
    return handler(request)
  }
  return {GET: serve, POST: serve, OPTIONS: serve}
}
