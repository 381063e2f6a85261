/**
 * Bench 6: what the plugin adds to a built Studio. Two minimal Studios (`bench/studios/`) are
 * built with `sanity build`, one with `clerkAccess()` and one without; the difference of their
 * JavaScript, gzipped, is the plugin's cost. Every browser chunk is also searched for strings
 * only `@clerk/backend` contains: the Studio must never ship the server SDK. Builds are cached by
 * a hash of their inputs (demo/buildStudio), so a rerun without changes takes seconds.
 */
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {gzip} from 'node:zlib'

import {buildStudio, REPO_ROOT} from '../demo/buildStudio'
import type {BenchOptions, BenchResult} from './lib/report'

const gzipAsync = promisify(gzip)
const STUDIOS_DIR = join(REPO_ROOT, 'bench', 'studios')
/** Under node_modules, so linters and formatters never walk the built Studios. */
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'sanity-plugin-clerk-bench')

/** Strings that appear in `@clerk/backend`'s code and in nothing a Studio needs. */
export const CLERK_BACKEND_MARKERS = ['@clerk/backend@', 'Clerk-API-Version', 'api.clerk.com']

interface ChunkStats {
  files: number
  bytes: number
  gzipBytes: number
  /** Chunks containing a `@clerk/backend` marker, with their raw bytes. */
  serverSdkChunks: Array<{file: string; bytes: number; markers: string[]}>
}

async function javascriptFiles(directory: string): Promise<string[]> {
  const files: string[] = []
  for (const entry of await readdir(directory, {withFileTypes: true, recursive: true})) {
    if (entry.isFile() && /\.m?js$/.test(entry.name)) files.push(join(entry.parentPath, entry.name))
  }
  return files.sort()
}

async function chunkStats(outDir: string): Promise<ChunkStats> {
  const stats: ChunkStats = {files: 0, bytes: 0, gzipBytes: 0, serverSdkChunks: []}
  for (const file of await javascriptFiles(outDir)) {
    const content = await readFile(file)
    stats.files += 1
    stats.bytes += content.length
    stats.gzipBytes += (await gzipAsync(content, {level: 9})).length
    const text = content.toString('utf8')
    const markers = CLERK_BACKEND_MARKERS.filter((marker) => text.includes(marker))
    if (markers.length > 0) {
      stats.serverSdkChunks.push({
        file: file.slice(outDir.length + 1),
        bytes: content.length,
        markers,
      })
    }
  }
  return stats
}

async function build(name: 'with-plugin' | 'without-plugin', log: (line: string) => void) {
  const studioDir = join(STUDIOS_DIR, name)
  const outDir = join(CACHE_DIR, `studio-${name}`)
  const inputs = name === 'with-plugin' ? [studioDir, join(REPO_ROOT, 'src')] : [studioDir]
  log(`sanity build ${name} (skipped when its inputs are unchanged)`)
  const result = await buildStudio({studioDir, outDir, env: {}, inputs})
  log(`${name}: ${result.built ? `built in ${(result.ms / 1000).toFixed(0)} s` : 'cached'}`)
  return chunkStats(outDir)
}

/**
 * The markers found in `@clerk/backend`'s own build: proves the chunk search would notice the
 * SDK if a Studio chunk carried it (a search for strings the SDK lacks would always pass).
 */
async function markersInServerSdk(): Promise<string[]> {
  const sdkDir = join(REPO_ROOT, 'node_modules', '@clerk', 'backend', 'dist')
  const found = new Set<string>()
  for (const file of await javascriptFiles(sdkDir)) {
    const text = await readFile(file, 'utf8')
    for (const marker of CLERK_BACKEND_MARKERS) if (text.includes(marker)) found.add(marker)
  }
  return [...found]
}

/** Gzipped bytes the plugin adds to a Studio, and `@clerk/backend` bytes in browser chunks. */
export async function benchBundle({log}: BenchOptions): Promise<BenchResult> {
  const without = await build('without-plugin', log)
  const withPlugin = await build('with-plugin', log)
  const added = withPlugin.gzipBytes - without.gzipBytes
  const serverSdkBytes = withPlugin.serverSdkChunks.reduce((sum, chunk) => sum + chunk.bytes, 0)
  const sdkMarkers = await markersInServerSdk()
  return {
    name: 'bundle',
    title: 'Studio bundle',
    setup:
      'Two minimal Studios built with `sanity build` (minified): structureTool only, and the same ' +
      'plus clerkAccess({proxyUrl, includeCourseType: true}) from source; sums over every .js ' +
      'file of the output, gzip level 9 per file. Quick mode builds the same (cached) Studios.',
    figures: [
      {
        label: 'JavaScript the plugin adds, gzipped',
        value: added / 1024,
        unit: 'KiB',
        reference: {label: 'Studio without the plugin', value: without.gzipBytes / 1024},
        note: `${withPlugin.files} vs ${without.files} files`,
      },
      {
        label: 'JavaScript the plugin adds, raw',
        value: (withPlugin.bytes - without.bytes) / 1024,
        unit: 'KiB',
        reference: {label: 'Studio without the plugin', value: without.bytes / 1024},
      },
      {
        label: '@clerk/backend code in browser chunks',
        value: serverSdkBytes,
        unit: 'bytes',
        goal: '0',
        met: serverSdkBytes === 0,
        note: `chunks containing ${CLERK_BACKEND_MARKERS.map((m) => `"${m}"`).join(', ')}`,
      },
      {
        label: "Markers found in @clerk/backend's own build (the search's self-check)",
        value: sdkMarkers.length,
        unit: `of ${CLERK_BACKEND_MARKERS.length}`,
        goal: '≥ 1',
        met: sdkMarkers.length >= 1,
        note: sdkMarkers.join(', ') || 'none: the chunk search could not detect the SDK',
      },
    ],
    notes: withPlugin.serverSdkChunks.map(
      (chunk) => `${chunk.file} (${chunk.bytes} bytes) contains ${chunk.markers.join(', ')}`,
    ),
  }
}
