import {describe, expect, it} from 'vitest'

import {clientOf, rememberSocketAddress, UNKNOWN_CLIENT} from './client'

const request = (headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1/me', {headers})

describe('clientOf', () => {
  it('never trusts a forwarding header unless told to', () => {
    expect(clientOf(request({'x-forwarded-for': '203.0.113.9'}))).toBe(UNKNOWN_CLIENT)
    const fromSocket = rememberSocketAddress(request({'x-forwarded-for': '1.1.1.1'}), '10.0.0.7')
    expect(clientOf(fromSocket)).toBe('socket:10.0.0.7')
  })

  it('takes the entry your own proxies appended, not what the client wrote before them', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; one proxy of ours appended the real address.
    const oneHop = request({'x-forwarded-for': '6.6.6.6, 198.51.100.4'})
    expect(clientOf(oneHop, {header: 'x-forwarded-for'})).toBe('header:198.51.100.4')
    const twoHops = request({'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.2'})
    expect(clientOf(twoHops, {header: 'x-forwarded-for', trustedProxies: 2})).toBe(
      'header:198.51.100.4',
    )
    expect(clientOf(request({'x-real-ip': '192.0.2.1'}), {header: 'x-real-ip'})).toBe(
      'header:192.0.2.1',
    )
  })

  it('falls back to the socket when the header did not pass all trusted proxies', () => {
    const short = rememberSocketAddress(request({'x-forwarded-for': '6.6.6.6'}), '10.0.0.1')
    expect(clientOf(short, {header: 'x-forwarded-for', trustedProxies: 2})).toBe('socket:10.0.0.1')
    expect(clientOf(request(), {header: 'x-real-ip'})).toBe(UNKNOWN_CLIENT)
  })
})
