import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {NODE_ONLY, nodeOnlyUses, reachable} from './testing/edge-imports'

const here = dirname(fileURLToPath(import.meta.url))

describe('the proxy handler runs on edge runtimes', () => {
  it('reaches no Node-only API from createClerkProxy', () => {
    expect(reachable(resolve(here, 'createClerkProxy.ts')).size).toBeGreaterThan(20)
    expect(nodeOnlyUses(resolve(here, 'createClerkProxy.ts'), here)).toEqual([])
  })

  it('keeps the Function and Next adapters edge-safe too', () => {
    for (const adapter of ['adapters/next/index.ts', 'adapters/sanity-function/index.ts']) {
      const texts = [...reachable(resolve(here, adapter)).values()]
      expect(texts.filter((text) => NODE_ONLY.some((pattern) => pattern.test(text)))).toEqual([])
    }
  })

  it('would notice a Node-only import (the Node adapter has one, loaded lazily)', () => {
    const texts = [...reachable(resolve(here, 'adapters/node/server.ts')).values()]
    expect(texts.some((text) => NODE_ONLY.some((pattern) => pattern.test(text)))).toBe(true)
  })
})
