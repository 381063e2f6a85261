/**
 * Journey 8's set-up: the plugin as users get it. Builds and packs the package (once per change of
 * its sources), installs the tarball into a fresh Studio 5 or Studio 6 made from
 * `e2e/installed-studio/studio-<major>` (its own package.json and lockfile, a real `npm install`
 * from the registry), builds that Studio with its own CLI, and reports what the install and the
 * bundle hold. Installs and builds live in `<tmpdir>/sanity-plugin-clerk-installed-studios/` and are reused while the
 * tarball and the template are unchanged, so each Studio is installed and built once per change.
 */
import {createHash} from 'node:crypto'
import {cp, mkdir, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join, relative, resolve} from 'node:path'

import {buildStudio, fingerprint, REPO_ROOT, run} from '../../demo/buildStudio'

export type StudioMajor = 5 | 6

export const TEMPLATE_ROOT = join(REPO_ROOT, 'e2e', 'installed-studio')
/**
 * Outside the repository: Node and Vite resolve a package a Studio lacks from any parent folder's
 * node_modules, and this repository's would quietly supply it.
 */
const WORK_ROOT = join(tmpdir(), 'sanity-plugin-clerk-installed-studios')
const PACKAGE_NAME = 'sanity-plugin-clerk'
/** Everything that goes into the tarball. */
const PACKAGE_INPUTS = [
  'core',
  'src',
  'proxy',
  'emulators',
  'app',
  'package.json',
  'tsdown.config.ts',
]
  .concat(['README.md', 'LICENSE'])
  .map((path) => join(REPO_ROOT, path))

/**
 * Packages whose second copy breaks a Studio (React contexts, styled-components' registry,
 * `@sanity/ui`'s theme and toasts): the host must hold exactly one, and so must its bundle.
 */
export const SINGLE_COPY_RUNTIMES = [
  'sanity',
  '@sanity/ui',
  'react',
  'react-dom',
  'styled-components',
]
/**
 * Stateless, so a second copy costs only bytes. Sanity 5 itself installs two majors of it (3 for
 * `sanity`, 5 under its `@sanity/ui`), so here the check is that the plugin brings none of its own.
 */
export const HOST_OWNED_RUNTIMES = ['@sanity/icons']

export interface PackedPlugin {
  tarball: string
  sha256: string
  /** Paths inside the tarball. */
  files: string[]
}

export interface InstalledStudio {
  major: StudioMajor
  dir: string
  plugin: PackedPlugin
  /** Studio bundle, built by the installed `sanity` CLI, with source maps. */
  outDir: string
  /** Seconds per step (0 when reused), for the report. */
  timings: Record<string, number>
}

async function timed<T>(timings: Record<string, number>, step: string, work: () => Promise<T>) {
  const started = performance.now()
  try {
    return await work()
  } finally {
    timings[step] = Math.round((performance.now() - started) / 100) / 10
  }
}

export const npmEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
})

const readJson = async <T>(path: string): Promise<T | null> =>
  readFile(path, 'utf8').then(
    (text) => JSON.parse(text) as T,
    () => null,
  )

/**
 * Builds the package into a staging folder (never the shared `dist/`) and packs it; reused while
 * nothing that goes into it changed.
 */
export async function packPlugin(timings: Record<string, number> = {}): Promise<PackedPlugin> {
  const packDir = join(WORK_ROOT, 'pack')
  const stamp = await fingerprint(PACKAGE_INPUTS, {})
  const previous = await readJson<PackedPlugin & {stamp: string}>(join(packDir, 'packed.json'))
  if (previous?.stamp === stamp && (await stat(previous.tarball).catch(() => null))) {
    timings.pack = 0
    return previous
  }
  const packed = await timed(timings, 'pack', () => packSource(REPO_ROOT, packDir))
  await writeFile(join(packDir, 'packed.json'), JSON.stringify({...packed, stamp}))
  return packed
}

/**
 * Builds the package found in `sourceDir` (this repository, or a checkout of an older commit that
 * can reach this repository's `node_modules`) with its own tsdown config and packs it into
 * `packDir`, which is emptied first.
 */
export async function packSource(sourceDir: string, packDir: string): Promise<PackedPlugin> {
  await rm(packDir, {recursive: true, force: true})
  const staging = join(packDir, 'package')
  await mkdir(staging, {recursive: true})
  await run('npx', ['tsdown', '--out-dir', join(staging, 'dist')], {cwd: sourceDir})
  for (const file of ['package.json', 'README.md', 'LICENSE']) {
    await cp(join(sourceDir, file), join(staging, file))
  }
  const packed = await run('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: staging,
    env: npmEnv(),
  })
  const [summary] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{
    filename: string
    files: Array<{path: string}>
  }>
  if (!summary) throw new Error(`npm pack printed no summary:\n${packed}`)
  const tarball = join(packDir, summary.filename)
  const sha256 = createHash('sha256')
    .update(await readFile(tarball))
    .digest('hex')
  return {tarball, sha256, files: summary.files.map((f) => f.path)}
}

/**
 * A fresh Studio of `major` (template `e2e/installed-studio/<templateName>`) with the packed plugin
 * installed (`npm install` against the template's
 * lockfile, as a user adds a plugin to an existing Studio) and built with `env` inlined.
 */
export async function installPackedPlugin(
  major: StudioMajor,
  plugin: PackedPlugin,
  env: Record<string, string>,
  timings: Record<string, number> = {},
  templateName = `studio-${major}`,
): Promise<InstalledStudio> {
  const template = join(TEMPLATE_ROOT, templateName)
  const dir = join(WORK_ROOT, templateName)
  const files = [
    join(template, 'package.json'),
    join(template, 'package-lock.json'),
    join(TEMPLATE_ROOT, 'sanity.config.ts'),
    join(TEMPLATE_ROOT, 'sanity.cli.ts'),
  ]
  const hash = createHash('sha256').update(`${plugin.sha256}\n${process.version}\n`)
  for (const file of files) hash.update(await readFile(file))
  const stamp = hash.digest('hex')
  const stampPath = join(dir, '.install-stamp')

  if ((await readFile(stampPath, 'utf8').catch(() => null)) === stamp) {
    timings.install = 0
  } else {
    await timed(timings, 'install', async () => {
      await rm(dir, {recursive: true, force: true})
      await mkdir(dir, {recursive: true})
      for (const file of files) await cp(file, join(dir, file.split('/').pop()!))
      const manifestPath = join(dir, 'package.json')
      const manifest = (await readJson<{dependencies: Record<string, string>}>(manifestPath))!
      manifest.dependencies[PACKAGE_NAME] = `file:${plugin.tarball}`
      await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
        cwd: dir,
        env: npmEnv(),
      })
      await writeFile(stampPath, stamp)
    })
  }
  const outDir = join(dir, 'dist')
  const build = await buildStudio({
    studioDir: dir,
    outDir,
    env,
    binDir: join(dir, 'node_modules', '.bin'),
  })
  timings['studio build'] = build.built ? Math.round(build.ms / 100) / 10 : 0
  return {major, dir, plugin, outDir, timings}
}

/** Every directory in `node_modules` (at any depth) that holds a package named `name`. */
export async function installedCopies(root: string, name: string): Promise<string[]> {
  const copies: string[] = []
  const visit = async (modules: string): Promise<void> => {
    const entries = await readdir(modules, {withFileTypes: true}).catch(() => [])
    for (const entry of entries) {
      if (!entry.isDirectory()) continue
      const path = join(modules, entry.name)
      if (entry.name.startsWith('@')) {
        for (const scoped of await readdir(path, {withFileTypes: true})) {
          if (scoped.isDirectory())
            await visitPackage(join(path, scoped.name), `${entry.name}/${scoped.name}`)
        }
      } else if (!entry.name.startsWith('.')) {
        await visitPackage(path, entry.name)
      }
    }
  }
  const visitPackage = async (path: string, packageName: string): Promise<void> => {
    if (packageName === name) copies.push(relative(root, path))
    await visit(join(path, 'node_modules'))
  }
  await visit(join(root, 'node_modules'))
  return copies
}

/**
 * The package folders (relative to `studioDir`) the bundle in `outDir` took each of `names` from,
 * read from its source maps: `node_modules/@sanity/ui` and `node_modules/x/node_modules/@sanity/ui`
 * are two copies, and a copy resolved from outside the Studio shows as a `../` folder.
 */
export async function bundledCopies(
  studioDir: string,
  outDir: string,
  names: string[],
): Promise<Record<string, string[]>> {
  const copies = new Map(names.map((name) => [name, new Set<string>()]))
  const maps = (await readdir(outDir, {recursive: true})).filter((file) => file.endsWith('.map'))
  if (maps.length === 0) throw new Error(`no source maps in ${outDir}: build with sourcemap on`)
  for (const file of maps) {
    const map = (await readJson<{sources?: string[]}>(join(outDir, file))) ?? {}
    for (const source of map.sources ?? []) {
      const path = relative(studioDir, resolve(dirname(join(outDir, file)), source))
      const at = path.lastIndexOf('node_modules/')
      if (at < 0) continue
      const rest = path.slice(at + 'node_modules/'.length).split('/')
      const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
      copies.get(name)?.add(`${path.slice(0, at)}node_modules/${name}`)
    }
  }
  return Object.fromEntries([...copies].map(([name, folders]) => [name, [...folders].sort()]))
}

/** Export targets (every condition) of the installed package that are not in it. */
export async function missingExportTargets(packageDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: unknown
    bin?: Record<string, string>
    types?: string
  }
  const targets = new Set<string>()
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.add(value)
    else if (value && typeof value === 'object') Object.values(value).forEach(collect)
  }
  collect(manifest.exports)
  collect(manifest.bin)
  collect(manifest.types)
  const missing: string[] = []
  for (const target of targets) {
    const exists = await stat(join(packageDir, target)).then(
      (info) => info.isFile(),
      () => false,
    )
    if (!exists) missing.push(target)
  }
  return missing
}
