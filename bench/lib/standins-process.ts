import {startBenchChild} from './child-process'
import type {StandInAddresses} from './stack'

export interface StandInsProcess {
  addresses: StandInAddresses
  close(): Promise<void>
}

/**
 * Starts the Clerk emulator (no rate limit) and the Content Lake in a child process, holding
 * `generatePopulation(users)`, and resolves with their addresses. `close()` ends that child.
 */
export async function startStandInsProcess(users: number): Promise<StandInsProcess> {
  const child = await startBenchChild('standins-child.ts', [String(users)])
  return {addresses: JSON.parse(child.firstLine) as StandInAddresses, close: child.close}
}
