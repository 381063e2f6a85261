import {describe, expect, it} from 'vitest'

import {createRedactingLogger, redactText, redactValue, type ProxyLogger} from './redact'

const SECRET = 'sk_test_thisIsTheClerkSecret123'
const TOKEN = 'skSanityReadTokenAbc.def'

describe('redactText', () => {
  it('removes configured secrets wherever they appear', () => {
    const text = `key=${SECRET} token=${TOKEN} again ${SECRET}`
    const redacted = redactText(text, [SECRET, TOKEN])
    expect(redacted).not.toContain(SECRET)
    expect(redacted).not.toContain(TOKEN)
    expect(redacted).toContain('key=[redacted]')
  })

  it('removes Clerk-key-shaped and bearer-shaped strings that were never configured', () => {
    const redacted = redactText('Authorization: Bearer abc.def-ghi and sk_live_Other999', [])
    expect(redacted).toBe('Authorization: Bearer [redacted] and [redacted]')
  })

  it('leaves ordinary text alone and ignores empty secrets', () => {
    expect(redactText('user_123 synced', ['', 'zzz'])).toBe('user_123 synced')
  })
})

describe('redactValue', () => {
  it('redacts nested strings and errors, and survives cycles', () => {
    const cyclic: Record<string, unknown> = {nested: {list: [`x ${SECRET}`]}}
    cyclic.self = cyclic
    const error = new Error(`Clerk refused ${SECRET}`)
    const safe = JSON.stringify(redactValue({cyclic, error}, [SECRET]))
    expect(safe).not.toContain(SECRET)
    expect(safe).toContain('Clerk refused [redacted]')
    expect(safe).toContain('[circular]')
  })

  it('keeps an error’s own fields (trace ids, codes), redacted', () => {
    const error = Object.assign(new Error('Clerk failed'), {
      clerkTraceId: 'trace-1',
      detail: SECRET,
    })
    expect(redactValue(error, [SECRET])).toMatchObject({
      message: 'Clerk failed',
      clerkTraceId: 'trace-1',
      detail: '[redacted]',
    })
  })
})

describe('createRedactingLogger', () => {
  it('never passes a secret to the underlying logger', () => {
    const lines: string[] = []
    const sink: ProxyLogger = {
      info: (...args) => lines.push(JSON.stringify(args)),
      warn: (...args) => lines.push(JSON.stringify(args)),
      error: (...args) => lines.push(JSON.stringify(args)),
    }
    const logger = createRedactingLogger(sink, [SECRET])
    logger.info(`starting with ${SECRET}`)
    logger.warn('details', {headers: {authorization: `Bearer ${TOKEN}`}})
    logger.error('failed', new Error(SECRET))
    expect(lines).toHaveLength(3)
    for (const line of lines) {
      expect(line).not.toContain(SECRET)
      expect(line).not.toContain(TOKEN)
    }
  })
})
