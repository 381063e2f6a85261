import {spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const TSX = join(HERE, '..', '..', 'node_modules', '.bin', 'tsx')

export interface BenchChild {
  /** The first line the child printed: what it reports once it is ready. */
  firstLine: string
  /** Sends one line to the child's stdin and resolves with the next line it prints. */
  ask(line: string): Promise<string>
  /** Closes the child's stdin (its signal to stop) and waits for it to exit. */
  close(): Promise<void>
}

/**
 * Runs `bench/lib/<script>` with tsx (and Node's `nodeFlags`) in a process of its own and resolves
 * with the first line it prints on stdout. The child stops when its stdin closes; until then `ask` talks to it a line at
 * a time.
 */
export async function startBenchChild(
  script: string,
  args: string[],
  nodeFlags: readonly string[] = [],
): Promise<BenchChild> {
  const child = spawn(TSX, [...nodeFlags, join(HERE, script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const lines = createInterface({input: child.stdout})
  const exitError = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
  exitError.catch(() => {})
  const nextLine = () =>
    Promise.race([new Promise<string>((resolve) => lines.once('line', resolve)), exitError])
  const firstLine = await nextLine()
  return {
    firstLine,
    ask(line) {
      const answer = nextLine()
      child.stdin.write(`${line}\n`)
      return answer
    },
    async close() {
      lines.close()
      child.stdin.end()
      await exited
    },
  }
}
