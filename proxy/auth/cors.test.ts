import {describe, expect, it} from 'vitest'

import {createCorsPolicy, normalizeOrigin} from './cors'

const STUDIO = 'https://studio.example.com'
const policy = createCorsPolicy([`${STUDIO}/`, 'http://localhost:3333'])

const request = (origin: string | null, method = 'GET', headers: Record<string, string> = {}) =>
  new Request('https://proxy.example.com/api/clerk/me', {
    method,
    headers: {...(origin ? {origin} : {}), ...headers},
  })

describe('createCorsPolicy', () => {
  it('answers a preflight from a configured origin with 204 and the allowed headers', () => {
    const response = policy.preflight(
      request(STUDIO, 'OPTIONS', {'access-control-request-method': 'POST'}),
    )
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(STUDIO)
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('vary')).toContain('Origin')
  })

  it('refuses a preflight from any other origin with 403 and no CORS headers', () => {
    for (const origin of [
      'https://evil.example',
      'https://studio.example.com.evil.example',
      'null',
      STUDIO.replace('https', 'http'),
    ]) {
      const response = policy.preflight(request(origin, 'OPTIONS'))
      expect(response.status).toBe(403)
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
    }
  })

  it('adds CORS headers to responses for allowed origins only', () => {
    const allowed = policy.decorate(request('http://localhost:3333'), new Response('{}'))
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3333')
    expect(allowed.headers.get('access-control-expose-headers')).toContain('retry-after')
    const other = policy.decorate(request('https://evil.example'), new Response('{}'))
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    expect(other.headers.get('vary')).toBe('Origin')
  })

  it('lets requests without Origin (servers, webhooks) through and stops foreign browsers', () => {
    expect(policy.allows(request(null))).toBe(true)
    expect(policy.allows(request(STUDIO))).toBe(true)
    expect(policy.allows(request('https://evil.example'))).toBe(false)
  })
})

describe('normalizeOrigin', () => {
  it('reduces a URL to its origin and refuses non-http(s)', () => {
    expect(normalizeOrigin('https://Studio.Example.com:443/desk')).toBe(
      'https://studio.example.com',
    )
    expect(() => normalizeOrigin('javascript:alert(1)')).toThrow('not http(s)')
    expect(() => normalizeOrigin('studio.example.com')).toThrow('Invalid URL')
  })
})
