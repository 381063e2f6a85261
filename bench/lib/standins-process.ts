import {spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

import type {StandInAddresses} from './stack'

const HERE = dirname(fileURLToPath(import.meta.url))
const TSX = join(HERE, '..', '..', 'node_modules', '.bin', 'tsx')

export interface StandInsProcess {
  addresses: StandInAddresses
  close(): Promise<void>
}

/**
 * Starts the Clerk emulator (no rate limit) and the Content Lake in a child process, holding
 * `generatePopulation(users)`, and resolves with their addresses. `close()` ends that child.
 */
export async function startStandInsProcess(users: number): Promise<StandInsProcess> {
  const child = spawn(TSX, [join(HERE, 'standins-child.ts'), String(users)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const lines = createInterface({input: child.stdout})
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`stand-ins process exited with ${code}`)))
  })
  lines.close()
  return {
    addresses: JSON.parse(first) as StandInAddresses,
    async close() {
      child.stdin.end()
      await exited
    },
  }
}
