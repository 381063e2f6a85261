/**
 * Runs the local Content Lake on its own:
 *
 *   npx tsx emulators/content-lake/cli.ts --port 3333 --data file.ndjson [--project lake] [--dataset test]
 *
 * Prints the API host, the users' tokens and how Node clients can trust the certificate. The
 * tokens are local-only credentials made at start; printing them is the point of this command.
 */
import {resolve} from 'node:path'
import {parseArgs} from 'node:util'

import {startContentLake} from './server'

const USAGE =
  'Usage: tsx emulators/content-lake/cli.ts [--port 3333] [--data file.ndjson] [--project lake] [--dataset test]'

export async function main(argv: string[]): Promise<void> {
  const {values} = parseArgs({
    args: argv,
    options: {
      port: {type: 'string', default: '3333'},
      data: {type: 'string'},
      project: {type: 'string', default: 'lake'},
      dataset: {type: 'string', default: 'test'},
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
  })
  console.info(`Content Lake for project "${lake.projectId}", dataset "${lake.dataset}"`)
  console.info(
    `  apiHost      ${lake.apiHost}   (browsers: https://${lake.projectId}.localhost:${lake.port})`,
  )
  console.info(`  data file    ${values.data ? resolve(values.data) : '(in memory only)'}`)
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
