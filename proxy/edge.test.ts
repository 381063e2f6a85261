import {existsSync, readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))

/** Our own source files reachable from `entry` through relative imports, with their text. */
function reachable(entry: string): Map<string, string> {
  const files = new Map<string, string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    const text = readFileSync(file, 'utf8')
    files.set(file, text)
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), match[1]!)
      if (target.endsWith('.json')) continue
      const candidates = [`${target}.ts`, `${target}.tsx`, resolve(target, 'index.ts')]
      visit(candidates.find((candidate) => existsSync(candidate)) ?? `${target}.ts`)
    }
  }
  visit(entry)
  return files
}

// Edge runtimes (Vercel/Next edge, Cloudflare Workers, Deno) have the Web APIs but not Node's.
const NODE_ONLY = [
  /from\s+'node:/,
  /import\('node:/,
  /\bBuffer\./,
  /\bprocess\.(?!env\b)/,
  /\brequire\(/,
]

describe('the proxy handler runs on edge runtimes', () => {
  it('reaches no Node-only API from createClerkProxy', () => {
    const files = reachable(resolve(here, 'createClerkProxy.ts'))
    expect(files.size).toBeGreaterThan(20)
    const offenders = [...files].flatMap(([file, text]) =>
      NODE_ONLY.filter((pattern) => pattern.test(text)).map(
        (pattern) => `${file.slice(here.length)} ${pattern}`,
      ),
    )
    expect(offenders).toEqual([])
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
