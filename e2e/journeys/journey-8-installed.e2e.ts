/**
 * Journey 8: installed the way users install it. The plugin is built and packed, the tarball is
 * installed into a separate minimal Studio (its own package.json, a real `npm install`), that
 * Studio is built with its own CLI, and journey 1 runs in it. The install must hold one copy of
 * React and of `sanity`, and the package must contain every file its manifest points at.
 */
import {rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {run} from '../../demo/buildStudio'
import {serveStatic, type StaticServer} from '../../demo/staticServer'
import {grantProWithCourses} from './grant'
import {
  installedCopies,
  installPackedPlugin,
  missingExportTargets,
  type InstalledStudio,
} from './installedStudio'
import {setUpJourney} from './support'

const INSTALLED_STUDIO_PORT = 4354
const INSTALLED_STUDIO_ORIGIN = `http://localhost:${INSTALLED_STUDIO_PORT}`
const INSTALL_TIMEOUT_MS = 900_000

const journey = setUpJourney('journey-8', {extraOrigins: [INSTALLED_STUDIO_ORIGIN]})

describe('journey 8: the packed plugin in a freshly installed Studio', () => {
  let installed: InstalledStudio | undefined
  let server: StaticServer | undefined

  afterAll(async () => {
    await server?.close()
    if (installed) await rm(dirname(installed.dir), {recursive: true, force: true})
  })

  const requireInstalled = (): InstalledStudio => {
    if (!installed) throw new Error('the install step failed; see the first test')
    return installed
  }

  it(
    'installs from the tarball with one copy of React, react-dom, sanity and styled-components',
    async () => {
      installed = await installPackedPlugin(journey().stack.studioEnv)
      console.info('journey 8 timings (s):', JSON.stringify(installed.timings))
      expect(installed.packedFiles).toEqual(
        expect.arrayContaining([
          'dist/index.js',
          'dist/index.d.ts',
          'dist/proxy.js',
          'dist/testing.js',
        ]),
      )
      for (const name of ['react', 'react-dom', 'sanity', 'styled-components']) {
        expect(await installedCopies(installed.dir, name), name).toHaveLength(1)
      }
      // npm's own view: exits non-zero on invalid or missing peers.
      const tree = await run('npm', ['ls', 'react', 'react-dom', 'sanity', 'styled-components'], {
        cwd: installed.dir,
      })
      expect(tree).toContain('sanity-plugin-clerk@')
    },
    INSTALL_TIMEOUT_MS,
  )

  // Every export target must ship: a consumer's dev server resolves whatever the manifest names.
  it('contains every file its package.json points at', async () => {
    const pluginDir = join(requireInstalled().dir, 'node_modules', 'sanity-plugin-clerk')
    expect(await missingExportTargets(pluginDir)).toEqual([])
  })

  it('runs journey 1 in the installed Studio', async () => {
    server = await serveStatic({root: requireInstalled().outDir, port: INSTALLED_STUDIO_PORT})
    await grantProWithCourses(journey(), server.url)
  }, 300_000)
})
