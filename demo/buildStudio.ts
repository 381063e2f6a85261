/**
 * Builds a Studio with its own CLI (`sanity build`), inlining `SANITY_STUDIO_*` variables, and
 * skips the build when nothing that goes into it changed since the last one.
 */
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {delimiter, dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const DEMO_STUDIO_DIR = join(REPO_ROOT, 'demo', 'studio')

export interface BuildStudioOptions {
  /** Directory with `sanity.config.ts`, `sanity.cli.ts` and `package.json`. */
  studioDir: string
  outDir: string
  /** `SANITY_STUDIO_*` variables to inline. Other names are refused: they would not be inlined. */
  env: Record<string, string>
  /** Folder holding the `sanity` binary (default: the repository's), first on PATH. */
  binDir?: string
  /** Files and folders whose content goes into the bundle (for the up-to-date check). */
  inputs?: string[]
}

export interface BuildStudioResult {
  outDir: string
  /** False when the previous output was still up to date. */
  built: boolean
  ms: number
}

const STAMP_FILE = '.build-stamp.json'
const IGNORED = new Set(['node_modules', 'dist', '.sanity', '.data', '.git'])

/** Builds unless `outDir` holds a build from the same inputs and variables. */
export async function buildStudio(options: BuildStudioOptions): Promise<BuildStudioResult> {
  const started = performance.now()
  for (const name of Object.keys(options.env)) {
    if (!name.startsWith('SANITY_STUDIO_')) {
      throw new Error(
        `buildStudio: "${name}" would not be inlined; only SANITY_STUDIO_* variables are`,
      )
    }
  }
  const inputs = options.inputs ?? [options.studioDir]
  const stamp = await fingerprint(inputs, options.env)
  const previous = await readFile(join(options.outDir, STAMP_FILE), 'utf8').catch(() => null)
  if (previous === stamp)
    return {outDir: options.outDir, built: false, ms: performance.now() - started}

  const repoBin = join(REPO_ROOT, 'node_modules', '.bin')
  const binDir = options.binDir ?? repoBin
  await run(join(binDir, 'sanity'), ['build', options.outDir, '-y'], {
    cwd: options.studioDir,
    env: {
      ...process.env,
      ...options.env,
      // The repository's .bin brings Node 22 (Sanity's CLI refuses older ones).
      PATH: [binDir, repoBin, process.env.PATH ?? ''].join(delimiter),
      DO_NOT_TRACK: '1',
      SANITY_TELEMETRY_DISABLED: '1',
    },
  })
  await writeFile(join(options.outDir, STAMP_FILE), stamp)
  return {outDir: options.outDir, built: true, ms: performance.now() - started}
}

/** Hash of the variables and of every input file's path, size and modification time. */
export async function fingerprint(inputs: string[], env: Record<string, string>): Promise<string> {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(Object.entries(env).sort()))
  for (const input of inputs) {
    for (const file of await listFiles(input)) {
      const info = await stat(file)
      hash.update(`${relative(REPO_ROOT, file)}:${info.size}:${info.mtimeMs}\n`)
    }
  }
  return hash.digest('hex')
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null)
  if (!info) return []
  if (info.isFile()) return [path]
  const files: string[] = []
  for (const entry of await readdir(path, {withFileTypes: true})) {
    if (IGNORED.has(entry.name)) continue
    files.push(...(await listFiles(join(path, entry.name))))
  }
  return files.sort()
}

/** Runs a command, keeping its output to explain a failure. */
export function run(
  command: string,
  args: string[],
  options: {cwd: string; env?: NodeJS.ProcessEnv},
): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {cwd: options.cwd, env: options.env ?? process.env})
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolveRun(output)
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`),
        )
    })
  })
}
