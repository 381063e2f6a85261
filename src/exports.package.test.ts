import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

import {TESTING_PEERS} from '../emulators/testingPeers'

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
  it.each(['index.js', 'proxy.js', 'testing.js', 'app.js'])(
    '%s imports only declared dependencies',
    (entry) => {
      const declared = new Set([
        ...Object.keys(pkg.dependencies),
        ...Object.keys(pkg.peerDependencies),
        // ./testing checks for these itself before loading (emulators/testingPeers.ts).
        ...(entry === 'testing.js' ? Object.keys(TESTING_PEERS) : []),
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

  it('keeps the app entry free of imports: it runs on any edge runtime and in browsers', () => {
    expect([...bareImportsOf('app.js')]).toEqual([])
    expect(readFileSync(join(root, 'dist', 'app.js'), 'utf8')).not.toMatch(/sk_(test|live)_/)
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

// Studio 5 runs @sanity/ui 3 and @sanity/icons 3, Studio 6 runs @sanity/ui 4 and @sanity/icons 5.
describe('one build for Studio 5 and Studio 6', () => {
  /** Contexts or singletons that break when the plugin brings a second copy: the host's only. */
  const SHARED_RUNTIMES = [
    'sanity',
    '@sanity/ui',
    '@sanity/icons',
    'react',
    'react-dom',
    'styled-components',
  ]
  // Root exports of @sanity/ui 4 that are type-only tombstones (undefined at runtime); their new
  // subpaths (`@sanity/ui/toast`, …) do not exist in @sanity/ui 3.
  const UI4_TOMBSTONES = new Set([
    'Autocomplete',
    'Breadcrumbs',
    'Code',
    'Menu',
    'MenuButton',
    'MenuDivider',
    'MenuGroup',
    'MenuItem',
    'Popover',
    'Toast',
    'ToastProvider',
    'useToast',
    'Tooltip',
    'TooltipDelayGroupContext',
    'TooltipDelayGroupProvider',
    'useTooltipDelayGroup',
  ])

  it('declares the shared runtimes as peers, never as dependencies', () => {
    for (const name of SHARED_RUNTIMES) {
      expect(pkg.peerDependencies[name], name).toBeDefined()
      expect(pkg.dependencies[name], name).toBeUndefined()
    }
  })

  it('imports from @sanity/ui and @sanity/icons only what both majors export', () => {
    const specifiers = [...bareImportsOf('index.js')].filter((s) => /^@sanity\/(ui|icons)/.test(s))
    expect(
      specifiers.filter((s) => !['@sanity/ui', '@sanity/ui/theme', '@sanity/icons'].includes(s)),
    ).toEqual([])
    const imported: Record<string, Set<string>> = {
      '@sanity/ui': new Set(),
      '@sanity/icons': new Set(),
    }
    const visit = (file: string, seen = new Set<string>()) => {
      if (seen.has(file)) return
      seen.add(file)
      const code = readFileSync(file, 'utf8')
      for (const m of code.matchAll(
        /import\s*\{([^}]*)\}\s*from\s*["'](@sanity\/(?:ui|icons))["']/g,
      )) {
        for (const part of m[1]!.split(',')) imported[m[2]!]!.add(part.trim().split(/\s+as\s+/)[0]!)
      }
      for (const m of code.matchAll(/from\s*["'](\.[^"']+)["']/g))
        visit(resolve(dirname(file), m[1]!), seen)
    }
    visit(join(root, 'dist', 'index.js'))
    const ui = [...imported['@sanity/ui']!]
    expect(ui.length).toBeGreaterThan(0)
    expect(ui.filter((name) => UI4_TOMBSTONES.has(name))).toEqual([])
    // @sanity/icons 5's root exports no icon by name (tombstones) and 3 has no per-icon subpaths.
    expect([...imported['@sanity/icons']!]).toEqual(['Icon'])
  })

  it('leaves what only ./testing needs out of the install and out of the Studio and proxy entries', () => {
    for (const [name, range] of Object.entries(TESTING_PEERS)) {
      expect(pkg.dependencies[name], name).toBeUndefined()
      expect(pkg.peerDependencies[name], name).toBeUndefined()
      // This repository tests the stand-ins with the versions ./testing asks users to add.
      expect(pkg.devDependencies[name].replace(/^\^/, ''), name).toBe(range.replace(/^\^/, ''))
    }
    const testingOnly = Object.keys(TESTING_PEERS)
    for (const entry of ['index.js', 'proxy.js', 'cli.js']) {
      const needs = [...bareImportsOf(entry)].map(packageName)
      expect(
        needs.filter((name) => testingOnly.includes(name)),
        entry,
      ).toEqual([])
    }
  })
})
