/**
 * Who "one client" is, for the limits that apply before anyone is identified. A Web `Request`
 * carries no peer address, so adapters that know one (the Node server) attach it here; headers
 * such as `X-Forwarded-For` are anyone's to write and are read only when the deployment says
 * which one its own proxy sets.
 */

/** How to tell clients apart behind your own reverse proxy, CDN or platform. */
export interface ClientAddressOptions {
  /**
   * A header that YOUR proxy or platform sets (overwriting or appending to what the client
   * sent), e.g. `x-forwarded-for`, `x-real-ip`, `cf-connecting-ip`, `fly-client-ip`. Only set
   * this when every request passes through that proxy: otherwise a client can write any address
   * and escape its limit.
   */
  header: string
  /**
   * For a list header (`X-Forwarded-For: client, proxy1, …`): how many proxies of yours append to
   * it. The client is the entry that many places from the right, the last one a client cannot
   * forge. Default 1.
   */
  trustedProxies?: number
}

/** The key shared by every client the proxy cannot tell apart. */
export const UNKNOWN_CLIENT = 'unknown'

const socketAddresses = new WeakMap<Request, string>()

/** Records the peer address an adapter saw for `request` (the TCP connection's remote address). */
export function rememberSocketAddress(request: Request, address: string | undefined): Request {
  if (address) socketAddresses.set(request, address)
  return request
}

/**
 * The client key of `request`: the configured header's address when `options` names one, else
 * the socket address an adapter recorded, else {@link UNKNOWN_CLIENT} (one bucket for all).
 */
export function clientOf(request: Request, options?: ClientAddressOptions): string {
  if (options) {
    const entries = (request.headers.get(options.header) ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
    const fromRight = options.trustedProxies ?? 1
    // Fewer entries than trusted proxies: the header did not come through all of them.
    const address = entries.length >= fromRight ? entries[entries.length - fromRight] : undefined
    if (address) return `header:${address}`
  }
  const socket = socketAddresses.get(request)
  return socket ? `socket:${socket}` : UNKNOWN_CLIENT
}
