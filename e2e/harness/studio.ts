/**
 * Building and serving a Studio for a browser journey. The build runs the Studio's own CLI and is
 * cached under `.tmp/studio-builds/`, keyed on the Studio folder and the inlined variables, and
 * reused while its inputs are unchanged.
 */
import {createHash} from 'node:crypto'
import {join, relative, resolve} from 'node:path'

import {REPO_ROOT, buildStudio as buildWithCache} from '../../demo/buildStudio'
import {serveStatic as serveDirectory, type StaticServer} from '../../demo/staticServer'

export type {StaticServer}

export interface BuildStudioOptions {
  /** Folder with `sanity.config.ts`, `sanity.cli.ts` and `package.json`. */
  dir: string
  /** `SANITY_STUDIO_*` variables inlined into the bundle (e.g. the API host). */
  env: Record<string, string>
  /** Other files or folders the bundle depends on (e.g. the plugin's `src`). */
  inputs?: string[]
}

export interface BuiltStudio {
  outDir: string
  /** False when a cached build was reused. */
  built: boolean
  ms: number
}

export async function buildStudio(options: BuildStudioOptions): Promise<BuiltStudio> {
  const dir = resolve(options.dir)
  const key = createHash('sha256')
    .update(relative(REPO_ROOT, dir))
    .update(JSON.stringify(Object.entries(options.env).sort()))
    .digest('hex')
    .slice(0, 16)
  const outDir = join(REPO_ROOT, '.tmp', 'studio-builds', key)
  return buildWithCache({
    studioDir: dir,
    outDir,
    env: options.env,
    inputs: [dir, ...(options.inputs ?? [])],
  })
}

/** Serves a built Studio on loopback with SPA fallback. */
export function serveStatic(dir: string): Promise<StaticServer> {
  return serveDirectory({root: dir})
}
