import {createServer, type Server} from 'node:net'

import {afterAll, describe, expect, it} from 'vitest'

import {choosePort, portFromEnv} from './ports'

describe('choosePort', () => {
  const servers: Server[] = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  })

  it('keeps a free preferred port and replaces a busy one', async () => {
    const free = await choosePort(undefined)
    expect(await choosePort(free)).toBe(free)
    const busy = createServer()
    servers.push(busy)
    await new Promise<void>((resolve) => busy.listen(free, '127.0.0.1', resolve))
    const chosen = await choosePort(free)
    expect(chosen).not.toBe(free)
    expect(chosen).toBeGreaterThan(0)
  })
})

describe('portFromEnv', () => {
  it('reads a port, falls back when unset and names a bad variable', () => {
    expect(portFromEnv('P', 3333, {P: '4000'})).toBe(4000)
    expect(portFromEnv('P', 3333, {})).toBe(3333)
    expect(() => portFromEnv('DEMO_PORT', 1, {DEMO_PORT: 'http'})).toThrow(
      /DEMO_PORT must be a port/,
    )
  })
})
