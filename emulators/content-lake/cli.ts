/**
 * Runs the local Content Lake on its own:
 *
 *   npx tsx emulators/content-lake/cli.ts --port 3333 --data file.ndjson [--project lake] [--dataset test]
 *     [--query-lag <minMs>-<maxMs>]   (eventually consistent queries, as on the hosted API)
 *
 * Prints the API host, the users' tokens and how Node clients can trust the certificate. The
 * tokens are local-only credentials made at start; printing them is the point of this command.
 */
import {resolve} from 'node:path'
import {parseArgs} from 'node:util'

import type {QueryLag} from './replica'
import {startContentLake} from './server'

const USAGE =
  'Usage: tsx emulators/content-lake/cli.ts [--port 3333] [--data file.ndjson] [--project lake] [--dataset test] [--query-lag 50-500]'

/** `--query-lag 50-500` (or `250`): queries read the dataset as it was that many ms ago. */
function parseQueryLag(text: string | undefined): QueryLag | null {
  if (text === undefined) return null
  const match = /^(\d+)(?:-(\d+))?$/.exec(text)
  if (!match)
    throw new Error(`--query-lag must be <ms> or <minMs>-<maxMs>, got "${text}"\n${USAGE}`)
  const minMs = Number(match[1])
  const maxMs = Number(match[2] ?? match[1])
  if (maxMs < minMs) throw new Error(`--query-lag ${text}: the maximum is below the minimum`)
  return {minMs, maxMs}
}

export async function main(argv: string[]): Promise<void> {
  const {values} = parseArgs({
    args: argv,
    options: {
      port: {type: 'string', default: '3333'},
      data: {type: 'string'},
      project: {type: 'string', default: 'lake'},
      dataset: {type: 'string', default: 'test'},
      'query-lag': {type: 'string'},
      help: {type: 'boolean', default: false},
    },
  })
  if (values.help) {
    console.info(USAGE)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, got ${JSON.stringify(values.port)}\n${USAGE}`)
  }
  const lake = await startContentLake({
    projectId: values.project,
    dataset: values.dataset,
    port,
    dataFile: values.data ? resolve(values.data) : undefined,
    queryLag: parseQueryLag(values['query-lag']),
  })
  console.info(`Content Lake for project "${lake.projectId}", dataset "${lake.dataset}"`)
  console.info(
    `  apiHost      ${lake.apiHost}   (browsers: https://${lake.projectId}.localhost:${lake.port})`,
  )
  console.info(`  data file    ${values.data ? resolve(values.data) : '(in memory only)'}`)
  const lag = lake.queryLag()
  if (lag)
    console.info(`  query lag    ${lag.minMs}–${lag.maxMs} ms (queries are eventually consistent)`)
  console.info(`  CA cert      ${lake.caCertPath}   (Node: NODE_EXTRA_CA_CERTS=${lake.caCertPath})`)
  console.info(
    `  log in       https://${lake.projectId}.localhost:${lake.port}/__lake/login?origin=<studio url>`,
  )
  for (const user of lake.users) {
    console.info(`  ${user.role.padEnd(13)} ${user.id.padEnd(10)} ${user.token}`)
  }
  const stop = async () => {
    await lake.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
