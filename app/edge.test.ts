import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {nodeOnlyUses, reachable} from '../proxy/testing/edge-imports'

const here = dirname(fileURLToPath(import.meta.url))

describe('sanity-plugin-clerk/app runs on edge runtimes and in browsers', () => {
  it('reaches no Node-only API', () => {
    const entry = resolve(here, 'index.ts')
    expect(reachable(entry).size).toBeGreaterThan(5)
    expect(nodeOnlyUses(entry, resolve(here, '..'))).toEqual([])
  })

  it('reaches only pure code: its own modules, the access rules and schema names', () => {
    const root = resolve(here, '..')
    const files = [...reachable(resolve(here, 'index.ts')).keys()].map((file) =>
      file.slice(root.length + 1),
    )
    expect(files.filter((file) => !/^(app|core)\/|^src\/schema\/names\.ts$/.test(file))).toEqual([])
  })
})
