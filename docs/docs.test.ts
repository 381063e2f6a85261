import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {PROXY_ROUTES} from '../core/contract'

const docsDir = import.meta.dirname
const docs = readdirSync(docsDir)
  .filter((name) => name.endsWith('.md'))
  .map((name) => readFileSync(join(docsDir, name), 'utf8'))
  .join('\n')

/** Route paths as the docs write them: `/users/:id` for `user: (id) => …`. */
function routePaths(): string[] {
  return Object.values(PROXY_ROUTES).map((route) =>
    typeof route === 'function' ? route(':id') : route,
  )
}

const ENTRIES = {
  'sanity-plugin-clerk': () => import('../src/index'),
  'sanity-plugin-clerk/proxy': () => import('../proxy/index'),
  'sanity-plugin-clerk/testing': () => import('../emulators/testing'),
  'sanity-plugin-clerk/app': () => import('../app/index'),
}

describe('the reference docs', () => {
  it('document every proxy route', () => {
    const missing = routePaths().filter(
      (path) => !new RegExp(`\`(GET|POST)[^\`]* ${path.replace(/[/:]/g, '\\$&')}\``).test(docs),
    )
    expect(missing).toEqual([])
  })

  it.each(Object.keys(ENTRIES))('name every runtime export of %s', async (entry) => {
    const module = (await ENTRIES[entry as keyof typeof ENTRIES]()) as Record<string, unknown>
    const missing = Object.keys(module).filter((name) => !docs.includes(`\`${name}\``))
    expect(missing).toEqual([])
  })

  it('are linked from the README', () => {
    const readme = readFileSync(join(docsDir, '..', 'README.md'), 'utf8')
    expect(readme).toContain('(docs/README.md)')
  })
})
