/**
 * Journey 8, once per Studio major: the packed plugin installed into a fresh Studio 5 or Studio 6
 * (`journey-8-installed-studio-5/6.e2e.ts`). The install must hold one copy of each shared
 * runtime, and so must the built bundle; the stand-ins' packages must stay out, with `./testing`
 * naming them; then journey 1 runs in that Studio with no page errors.
 */
import {readFile} from 'node:fs/promises'

import {afterAll, describe, expect, it} from 'vitest'

import {run} from '../../demo/buildStudio'
import {serveStatic, type StaticServer} from '../../demo/staticServer'
import {TESTING_PEERS} from '../../emulators/testingPeers'
import {grantProWithCourses} from './grant'
import {
  bundledCopies,
  HOST_OWNED_RUNTIMES,
  installedCopies,
  installPackedPlugin,
  missingExportTargets,
  packPlugin,
  SINGLE_COPY_RUNTIMES,
  type InstalledStudio,
  type StudioMajor,
} from './installedStudio'
import {setUpJourney} from './support'

const INSTALL_TIMEOUT_MS = 1_200_000
/** The `@sanity/ui` major each Studio major brings (and the plugin must work with). */
const UI_MAJOR: Record<StudioMajor, string> = {5: '3', 6: '4'}

export interface InstalledStudioJourneyOptions {
  /** Folder in `e2e/installed-studio/` (default `studio-<major>`). */
  template?: string
  /** False skips the whole journey (the oldest Studio runs on demand only, to keep CI short). */
  runIf?: boolean
}

export function describeInstalledStudio(
  major: StudioMajor,
  port: number,
  {template = `studio-${major}`, runIf = true}: InstalledStudioJourneyOptions = {},
): void {
  const origin = `http://localhost:${port}`
  const journey = setUpJourney(`journey-8-${template}`, {extraOrigins: [origin]})

  describe.runIf(runIf)(`journey 8: the packed plugin in a fresh ${template}`, () => {
    let installed: InstalledStudio | undefined
    let server: StaticServer | undefined

    afterAll(async () => {
      await server?.close()
    })

    const requireInstalled = (): InstalledStudio => {
      if (!installed) throw new Error('the install step failed; see the first test')
      return installed
    }
    const versionOf = async (name: string): Promise<string> => {
      const path = `${requireInstalled().dir}/node_modules/${name}/package.json`
      return (JSON.parse(await readFile(path, 'utf8')) as {version: string}).version
    }

    it(
      'installs from the tarball with one copy of each shared runtime',
      async () => {
        const timings: Record<string, number> = {}
        const plugin = await packPlugin(timings)
        installed = await installPackedPlugin(
          major,
          plugin,
          journey().stack.studioEnv,
          timings,
          template,
        )
        console.info(`journey 8 (${template}) timings (s, 0 = reused):`, JSON.stringify(timings))
        expect(plugin.files).toEqual(
          expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/proxy.js']),
        )
        expect(await versionOf('sanity')).toMatch(new RegExp(`^${major}\\.`))
        expect(await versionOf('@sanity/ui')).toMatch(new RegExp(`^${UI_MAJOR[major]}\\.`))
        for (const name of SINGLE_COPY_RUNTIMES) {
          expect(await installedCopies(installed.dir, name), name).toHaveLength(1)
        }
        for (const name of [...SINGLE_COPY_RUNTIMES, ...HOST_OWNED_RUNTIMES]) {
          const own = (await installedCopies(installed.dir, name)).filter((copy) =>
            copy.includes('sanity-plugin-clerk/node_modules'),
          )
          expect(own, `the plugin's own copy of ${name}`).toEqual([])
        }
        // npm's own view: exits non-zero on invalid or missing peers.
        const tree = await run(
          'npm',
          ['ls', ...SINGLE_COPY_RUNTIMES, ...HOST_OWNED_RUNTIMES, 'sanity-plugin-clerk'],
          {cwd: installed.dir},
        )
        expect(tree).toContain('sanity-plugin-clerk@')
      },
      INSTALL_TIMEOUT_MS,
    )

    // Every export target must ship: a consumer's dev server resolves whatever the manifest names.
    it('contains every file its package.json points at', async () => {
      const pluginDir = `${requireInstalled().dir}/node_modules/sanity-plugin-clerk`
      expect(await missingExportTargets(pluginDir)).toEqual([])
    })

    it("leaves the stand-ins' packages out, and ./testing names what to add", async () => {
      const {dir} = requireInstalled()
      // No package in a Studio brings selfsigned: only the plugin could have.
      expect(await installedCopies(dir, 'selfsigned')).toEqual([])
      // The installed manifest asks for none of them (get-it may still arrive nested, as a
      // dependency of @sanity/client, which the proxy needs).
      const manifest = JSON.parse(
        await readFile(`${dir}/node_modules/sanity-plugin-clerk/package.json`, 'utf8'),
      ) as Record<string, Record<string, string> | undefined>
      for (const name of Object.keys(TESTING_PEERS)) {
        for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
          expect(manifest[field]?.[name], `${field}.${name}`).toBeUndefined()
        }
      }
      const importTesting = run(
        process.execPath,
        ['--input-type=module', '-e', "await import('sanity-plugin-clerk/testing')"],
        {cwd: dir},
      )
      await expect(importTesting).rejects.toThrow(
        /sanity-plugin-clerk\/testing: the local stand-ins need[\s\S]*- selfsigned@\^5\.5\.0 is not installed[\s\S]*npm install --save-dev .*selfsigned@"\^5\.5\.0"/,
      )
    })

    it("bundles one copy of each shared runtime, and the plugin uses the host's", async () => {
      const {dir, outDir} = requireInstalled()
      const copies = await bundledCopies(dir, outDir, [
        'sanity-plugin-clerk',
        ...SINGLE_COPY_RUNTIMES,
        ...HOST_OWNED_RUNTIMES,
      ])
      expect(copies['sanity-plugin-clerk']).toEqual(['node_modules/sanity-plugin-clerk'])
      for (const name of SINGLE_COPY_RUNTIMES) expect(copies[name], name).toHaveLength(1)
      for (const name of HOST_OWNED_RUNTIMES) {
        const own = copies[name]!.filter((folder) => folder.includes('sanity-plugin-clerk/'))
        expect(own, name).toEqual([])
      }
      console.info(`journey 8 (${template}) bundled copies:`, JSON.stringify(copies))
    })

    it(`runs journey 1 in the installed Studio ${major}`, async () => {
      server = await serveStatic({root: requireInstalled().outDir, port})
      await grantProWithCourses(journey(), server.url)
    }, 300_000)
  })
}
