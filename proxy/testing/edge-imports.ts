/**
 * Edge-safety checks shared by the entries that promise to run on edge runtimes (the proxy and
 * `sanity-plugin-clerk/app`): which of our source files an entry reaches, and which Node-only APIs
 * they use.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

/** Our own source files reachable from `entry` through relative imports, with their text. */
export function reachable(entry: string): Map<string, string> {
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
export const NODE_ONLY = [
  /from\s+'node:/,
  /import\('node:/,
  /\bBuffer\./,
  /\bprocess\.(?!env\b)/,
  /\brequire\(/,
]

/** `file: pattern` for every Node-only API the files reachable from `entry` use. */
export function nodeOnlyUses(entry: string, root: string): string[] {
  return [...reachable(entry)].flatMap(([file, text]) =>
    NODE_ONLY.filter((pattern) => pattern.test(text)).map(
      (pattern) => `${file.slice(root.length)} ${pattern}`,
    ),
  )
}
