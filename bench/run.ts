/**
 * `npm run bench -- [--quick | --large] [--only <name>[,<name>]] [--update-readme]`: runs the
 * benches one after another against the stand-ins on loopback, writes `bench/results.json` and
 * `bench/results.md`, prints the table, and with `--update-readme` puts it into bench/README.md.
 * See bench/README.md for what each figure means.
 */
import {readFile, writeFile} from 'node:fs/promises'
import {availableParallelism, cpus} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {format, resolveConfig} from 'prettier'

import {benchBundle} from './bundle.bench'
import {benchBurst} from './burst.bench'
import {benchClerkEmulator} from './clerk-emulator.bench'
import {benchContentLake} from './content-lake.bench'
import {benchConvergence} from './convergence.bench'
import {benchInstallFootprint} from './install-footprint.bench'
import {benchMemberVisibility} from './member-visibility.bench'
import {benchPickerSearch} from './picker-search.bench'
import {benchProxyOverhead} from './proxy-overhead.bench'
import {benchReconcile} from './reconcile.bench'
import {benchSingleSync} from './single-sync.bench'
import {missedGoals, renderMarkdown, type BenchModule, type BenchResult} from './lib/report'

/** In the order they run: the cheap ones first, the slow builds last. */
const BENCHES: Record<string, BenchModule> = {
  'clerk-emulator': benchClerkEmulator,
  'content-lake': benchContentLake,
  'proxy-overhead': benchProxyOverhead,
  'picker-search': benchPickerSearch,
  'single-sync': benchSingleSync,
  convergence: benchConvergence,
  burst: benchBurst,
  'member-visibility': benchMemberVisibility,
  reconcile: benchReconcile,
  bundle: benchBundle,
  'install-footprint': benchInstallFootprint,
}

const BENCH_DIR = dirname(fileURLToPath(import.meta.url))

function selectedBenches(only: string | undefined): string[] {
  if (!only) return Object.keys(BENCHES)
  const names = only.split(',').map((name) => name.trim())
  const unknown = names.filter((name) => !(name in BENCHES))
  if (unknown.length > 0) {
    throw new Error(
      `Unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`,
    )
  }
  return names
}

const README_MARKER = '<!-- results -->'

/**
 * Replaces everything after the marker in bench/README.md with this run's table, formatted as
 * `npm run format` would, so the committed README stays format-clean.
 */
async function updateReadme(markdown: string): Promise<void> {
  const path = join(BENCH_DIR, 'README.md')
  const readme = await readFile(path, 'utf8')
  const at = readme.indexOf(README_MARKER)
  if (at < 0) throw new Error(`${path} has no ${README_MARKER} line`)
  const updated = `${readme.slice(0, at + README_MARKER.length)}\n\n${markdown}`
  const options = {...(await resolveConfig(path)), filepath: path}
  await writeFile(path, await format(updated, options))
}

async function main(): Promise<number> {
  const {values} = parseArgs({
    options: {
      quick: {type: 'boolean', default: false},
      large: {type: 'boolean', default: false},
      only: {type: 'string'},
      'update-readme': {type: 'boolean', default: false},
    },
  })
  const quick = values.quick ?? false
  const large = values.large ?? false
  const names = selectedBenches(values.only)
  const results: BenchResult[] = []
  const failures: string[] = []
  for (const name of names) {
    const log = (line: string) => console.info(`[${name}] ${line}`)
    log(quick ? 'starting (quick)' : 'starting')
    try {
      results.push(await BENCHES[name]!({quick, large, log}))
    } catch (error) {
      console.error(`[${name}] failed:`, error)
      failures.push(name)
    }
  }
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`
  const date = new Date().toISOString()
  const header =
    `## Bench results ${date.slice(0, 16).replace('T', ' ')} UTC${quick ? ' (quick mode: small N, smoke only)' : ''}\n\n` +
    `Machine: ${machine}. Ratios compare with a bound or a baseline measured in the same run.` +
    (failures.length ? `\n\n**Failed:** ${failures.join(', ')} (see the log above).` : '')
  // A missed goal is a finding, not a failure: the run goes on and the summary names it.
  const missed = missedGoals(results)
  const summary = missed.length
    ? `**Missed goals (${missed.length}):**\n\n${missed.map((line) => `- ${line}`).join('\n')}\n`
    : 'Every goal met.\n'
  const markdown = `${renderMarkdown(results, header)}\n${summary}`
  await writeFile(
    join(BENCH_DIR, 'results.json'),
    `${JSON.stringify({date, machine, quick, results, failures, missed}, null, 2)}\n`,
  )
  await writeFile(join(BENCH_DIR, 'results.md'), markdown)
  console.info(`\n${markdown}`)
  if (values['update-readme']) {
    if (quick) throw new Error('--update-readme takes full runs only, not --quick')
    await updateReadme(markdown)
  }
  return failures.length > 0 ? 1 : 0
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`)
  return 2
})
