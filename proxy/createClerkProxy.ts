import type {HealthResponse} from '../src/client/contract'

export interface ClerkProxyOptions {
  /** Clerk secret key. Stays on the server. */
  clerkSecretKey: string
}

/** Creates the Web-standard `(Request) => Promise<Response>` proxy handler. */
export function createClerkProxy(options: ClerkProxyOptions): (request: Request) => Promise<Response> {
  if (!options?.clerkSecretKey) throw new Error('sanity-plugin-clerk/proxy: "clerkSecretKey" is required')
  return async (request) => {
    const path = new URL(request.url).pathname
    if (path.endsWith('/health')) return Response.json({ok: true, version: '0.1.0'} satisfies HealthResponse)
    return Response.json({error: {code: 'not_found', message: `No route for ${path}`}}, {status: 404})
  }
}
