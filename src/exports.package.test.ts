import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

const root = resolve(import.meta.dirname, '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** Bare module specifiers reachable from a built entry, following its relative chunks. */
function bareImportsOf(entry: string): Set<string> {
  const seen = new Set<string>()
  const bare = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    // Comments (TSDoc examples) mention imports that the module does not make.
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    for (const m of code.matchAll(
      /(?:import|export)\s*(?:[^'"]*?from\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    )) {
      const spec = (m[1] ?? m[2])!
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec))
      else bare.add(spec)
    }
  }
  visit(join(root, 'dist', entry))
  return bare
}

function packageName(spec: string): string {
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
}

describe('published entry points', () => {
  it.each(['index.js', 'proxy.js', 'testing.js'])(
    '%s imports only declared dependencies',
    (entry) => {
      const declared = new Set([
        ...Object.keys(pkg.dependencies),
        ...Object.keys(pkg.peerDependencies),
      ])
      const undeclared = [...bareImportsOf(entry)]
        .filter((s) => !s.startsWith('node:'))
        .map(packageName)
        .filter((name) => !declared.has(name))
      expect(undeclared).toEqual([])
    },
  )

  it('keeps @clerk/backend, Node built-ins and secrets out of the Studio entry', () => {
    const imports = [...bareImportsOf('index.js')]
    expect(imports.filter((s) => s.startsWith('@clerk/') || s.startsWith('node:'))).toEqual([])
    const files = readFileSync(join(root, 'dist', 'index.js'), 'utf8')
    expect(files).not.toMatch(/CLERK_SECRET_KEY|sk_(test|live)_/)
  })

  it('exports the same names as last time (update the snapshot on purpose)', async () => {
    const shape: Record<string, Record<string, string>> = {}
    for (const [subpath, target] of Object.entries(
      pkg.exports as Record<string, {default?: string} | string>,
    )) {
      if (typeof target === 'string') continue
      const mod = await import(join(root, target.default!))
      shape[subpath] = Object.fromEntries(
        Object.keys(mod)
          .sort()
          .map((k) => [k, typeof mod[k]]),
      )
    }
    expect(shape).toMatchSnapshot()
  })
})
