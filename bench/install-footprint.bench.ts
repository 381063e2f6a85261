/**
 * Bench 9: what `npm install sanity-plugin-clerk` adds to a fresh Studio 5 and a fresh Studio 6,
 * before and after the packaging change of issue 16, measured in the same run. Each Studio is
 * installed bare from its committed lockfile (`e2e/installed-studio/studio-<major>`), copied, and
 * the packed tarball is npm-installed into the copy: the figures are the packages and megabytes
 * the install adds to `node_modules`, and how many copies of the shared runtimes the host then
 * holds. "Before" is packed from a checkout of the commit before the change (`git archive`, built
 * with this repository's node_modules), so the shared working tree is never touched.
 */
import {execFile} from 'node:child_process'
import {cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {REPO_ROOT, run} from '../demo/buildStudio'
import {
  HOST_OWNED_RUNTIMES,
  installedCopies,
  npmEnv,
  packPlugin,
  packSource,
  SINGLE_COPY_RUNTIMES,
  TEMPLATE_ROOT,
  type PackedPlugin,
  type StudioMajor,
} from '../e2e/journeys/installedStudio'
import type {BenchFigure, BenchOptions, BenchResult} from './lib/report'

const execFileAsync = promisify(execFile)
/**
 * Outside the repository: its test globs would pick up the old checkout's tests, and under
 * node_modules Node refuses to strip that checkout's types.
 */
const WORK_DIR = join(tmpdir(), 'sanity-plugin-clerk-install-footprint')
/** The last commit before issue 16's packaging change (peers, lean install). */
const BEFORE_REV = process.env.FOOTPRINT_BEFORE_REV ?? 'a83b5c4eb4c1ae3d4e428d7b0a370f571f8c6921'
const MAJORS: StudioMajor[] = [5, 6]

interface Footprint {
  packages: number
  bytes: number
  /** Copies of each shared runtime in the host after the install. */
  copies: Record<string, number>
}

/** Entries and apparent size of `node_modules`, read from npm's own hidden lockfile and stat. */
async function measure(dir: string): Promise<Footprint> {
  const lock = JSON.parse(
    await readFile(join(dir, 'node_modules', '.package-lock.json'), 'utf8'),
  ) as {packages: Record<string, unknown>}
  const packages = Object.keys(lock.packages).filter((key) => key.startsWith('node_modules/'))
  let bytes = 0
  for (const entry of await readdir(join(dir, 'node_modules'), {
    recursive: true,
    withFileTypes: true,
  })) {
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).size
  }
  const copies: Record<string, number> = {}
  for (const name of [...SINGLE_COPY_RUNTIMES, ...HOST_OWNED_RUNTIMES]) {
    copies[name] = (await installedCopies(dir, name)).length
  }
  return {packages: packages.length, bytes, copies}
}

/** The bare Studio from its lockfile, installed once and reused while the template is unchanged. */
async function bareStudio(major: StudioMajor, log: (line: string) => void): Promise<string> {
  const dir = join(WORK_DIR, `studio-${major}-bare`)
  const template = join(TEMPLATE_ROOT, `studio-${major}`)
  const stamp = (
    await Promise.all(['package.json', 'package-lock.json'].map((f) => readFile(join(template, f))))
  )
    .map(String)
    .join('\n')
  if ((await readFile(join(dir, '.template'), 'utf8').catch(() => null)) === stamp) return dir
  log(`installing a bare Studio ${major} from its lockfile`)
  await rm(dir, {recursive: true, force: true})
  await mkdir(dir, {recursive: true})
  for (const file of ['package.json', 'package-lock.json']) {
    await cp(join(template, file), join(dir, file))
  }
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: npmEnv(),
  })
  await writeFile(join(dir, '.template'), stamp)
  return dir
}

/** The package as it was at `rev`: its files from git, built with this repository's node_modules. */
async function packAt(rev: string): Promise<PackedPlugin> {
  const sourceDir = join(WORK_DIR, `source-${rev.slice(0, 12)}`)
  await rm(sourceDir, {recursive: true, force: true})
  await mkdir(sourceDir, {recursive: true})
  const archive = join(WORK_DIR, `source-${rev.slice(0, 12)}.tar`)
  await execFileAsync('git', ['archive', '--output', archive, rev], {cwd: REPO_ROOT})
  await execFileAsync('tar', ['-xf', archive, '-C', sourceDir])
  await rm(archive)
  await symlink(join(REPO_ROOT, 'node_modules'), join(sourceDir, 'node_modules'), 'dir')
  return packSource(sourceDir, join(WORK_DIR, `pack-${rev.slice(0, 12)}`))
}

/**
 * A copy of the bare Studio with `tarball` npm-installed into it. When npm refuses the install
 * (the package before the change peers `sanity ^6.9.2`, so a Studio 5 gets ERESOLVE), the refusal
 * is returned and the footprint is measured with `--legacy-peer-deps`, which skips peers.
 */
async function installInto(
  bare: string,
  tarball: string,
  name: string,
): Promise<{dir: string; refused: string | null}> {
  const dir = join(WORK_DIR, name)
  await rm(dir, {recursive: true, force: true})
  await cp(bare, dir, {recursive: true, verbatimSymlinks: true})
  const install = (extra: string[]) =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...extra, tarball], {
      cwd: dir,
      env: npmEnv(),
    })
  try {
    await install([])
    return {dir, refused: null}
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (!message.includes('ERESOLVE')) throw error
    await install(['--legacy-peer-deps'])
    const reason = /Could not resolve dependency:\s*\n?\s*npm error (peer [^\n]+)/.exec(message)
    return {dir, refused: reason?.[1] ?? 'ERESOLVE'}
  }
}

const megabytes = (bytes: number): number => bytes / 1_000_000

/** Packages and MB the plugin's install adds to a fresh Studio 5 and 6, before and after. */
export async function benchInstallFootprint({log}: BenchOptions): Promise<BenchResult> {
  await mkdir(WORK_DIR, {recursive: true})
  log(`packing the plugin at ${BEFORE_REV.slice(0, 12)} (before) and now (after)`)
  const before = await packAt(BEFORE_REV)
  const after = await packPlugin()
  const figures: BenchFigure[] = []
  const notes: string[] = []
  for (const major of MAJORS) {
    const bare = await bareStudio(major, log)
    const base = await measure(bare)
    const added: Record<'before' | 'after', Footprint> = {} as never
    for (const [variant, plugin] of [
      ['before', before],
      ['after', after],
    ] as const) {
      log(`Studio ${major}: npm install of the ${variant} tarball`)
      const {dir, refused} = await installInto(bare, plugin.tarball, `studio-${major}-${variant}`)
      if (refused) {
        notes.push(
          `Studio ${major}, ${variant}: npm install refuses the package (${refused}); ` +
            'measured with --legacy-peer-deps, which installs no peers',
        )
      }
      const installed = await measure(dir)
      added[variant] = {
        packages: installed.packages - base.packages,
        bytes: installed.bytes - base.bytes,
        copies: installed.copies,
      }
      await rm(dir, {recursive: true, force: true})
    }
    figures.push(
      {
        label: `Studio ${major}: packages the install adds`,
        value: added.after.packages,
        unit: 'packages',
        reference: {label: 'before', value: added.before.packages},
        goal: '≤ before',
        met: added.after.packages <= added.before.packages,
        note: `bare Studio ${major}: ${base.packages} packages`,
      },
      {
        label: `Studio ${major}: size the install adds`,
        value: megabytes(added.after.bytes),
        unit: 'MB',
        reference: {label: 'before', value: megabytes(added.before.bytes)},
        goal: '≤ before',
        met: added.after.bytes <= added.before.bytes,
        note: `bare Studio ${major}: ${megabytes(base.bytes).toFixed(0)} MB of node_modules`,
      },
    )
    const extra = (variant: 'before' | 'after') =>
      SINGLE_COPY_RUNTIMES.filter((name) => (added[variant].copies[name] ?? 0) > 1)
    figures.push({
      label: `Studio ${major}: shared runtimes with a second copy after the install`,
      value: extra('after').length,
      unit: `of ${SINGLE_COPY_RUNTIMES.length}`,
      reference: {label: 'before', value: extra('before').length},
      goal: '0',
      met: extra('after').length === 0,
      note: extra('before').length ? `before: ${extra('before').join(', ')}` : undefined,
    })
    notes.push(
      `Studio ${major} copies after the install, before → after: ` +
        Object.keys(added.after.copies)
          .map((name) => `${name} ${added.before.copies[name]} → ${added.after.copies[name]}`)
          .join(', '),
    )
  }
  return {
    name: 'install-footprint',
    title: 'Install footprint in a fresh Studio',
    setup:
      'A bare Studio 5 (sanity@5.31.2) and Studio 6 (sanity@6.16.0) installed from their committed ' +
      'lockfiles; the packed tarball npm-installed into a copy of each. Packages: entries in ' +
      'node_modules/.package-lock.json; MB: apparent size of every file under node_modules (10^6 ' +
      `bytes). Before: the package at ${BEFORE_REV.slice(0, 12)} (shared runtimes and the ` +
      "stand-ins' packages as dependencies); after: this working tree. Quick mode measures the same.",
    figures,
    notes,
  }
}
