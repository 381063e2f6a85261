/**
 * Runs the stand-ins in a process of their own, so CPU measured in the parent is the proxy's
 * alone. Started by `startStandInsProcess`: reads the population size from argv, prints the
 * addresses as one JSON line, and stops when stdin closes (the parent exited or let go).
 */
import {generatePopulation} from './population'
import {startBenchStack} from './stack'

const population = generatePopulation(Number(process.argv[2] ?? '100'))
const stack = await startBenchStack({
  documents: population.documents,
  clerkUserIds: population.userIds,
  clerkRateLimit: false,
})
process.stdout.write(`${JSON.stringify(stack.addresses)}\n`)
process.stdin.resume()
process.stdin.on('close', () => {
  void stack.close().then(() => process.exit(0))
})
