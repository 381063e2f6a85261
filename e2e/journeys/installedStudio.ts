/**
 * Journey 8's set-up: the plugin as users get it. Builds and packs the package, installs the
 * tarball into a copy of `e2e/installed-studio` in a temp dir (a real `npm install` from the
 * registry), builds that Studio with its own CLI, and reports what the install holds.
 */
import {cp, mkdtemp, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {buildStudio, REPO_ROOT, run} from '../../demo/buildStudio'

export const TEMPLATE_DIR = join(REPO_ROOT, 'e2e', 'installed-studio')
const PACKAGE_NAME = 'sanity-plugin-clerk'

export interface InstalledStudio {
  dir: string
  tarball: string
  /** Paths inside the tarball. */
  packedFiles: string[]
  /** Studio bundle, built by the installed `sanity` CLI. */
  outDir: string
  /** Seconds per step, for the report. */
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

/** Packs the plugin, installs it into a fresh Studio and builds that Studio with `env` inlined. */
export async function installPackedPlugin(env: Record<string, string>): Promise<InstalledStudio> {
  const timings: Record<string, number> = {}
  const work = await mkdtemp(join(tmpdir(), 'installed-studio-'))
  const npmEnv = {...process.env, npm_config_audit: 'false', npm_config_fund: 'false'}

  await timed(timings, 'build', () => run('npm', ['run', 'build'], {cwd: REPO_ROOT}))
  const packed = await timed(timings, 'pack', () =>
    run('npm', ['pack', '--json', '--pack-destination', work], {cwd: REPO_ROOT, env: npmEnv}),
  )
  const [summary] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{
    filename: string
    files: Array<{path: string}>
  }>
  if (!summary) throw new Error(`npm pack printed no summary:\n${packed}`)
  const tarball = join(work, summary.filename)

  const dir = join(work, 'studio')
  await cp(TEMPLATE_DIR, dir, {recursive: true})
  const manifestPath = join(dir, 'package.json')
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    dependencies: Record<string, string>
  }
  manifest.dependencies[PACKAGE_NAME] = `file:${tarball}`
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)

  await timed(timings, 'install', () =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {cwd: dir, env: npmEnv}),
  )
  const outDir = join(dir, 'dist')
  await timed(timings, 'studio build', () =>
    buildStudio({studioDir: dir, outDir, env, binDir: join(dir, 'node_modules', '.bin')}),
  )
  return {dir, tarball, packedFiles: summary.files.map((f) => f.path), outDir, timings}
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
    if (packageName === name) copies.push(path)
    await visit(join(path, 'node_modules'))
  }
  await visit(join(root, 'node_modules'))
  return copies
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
