import {startBenchChild} from './child-process'
import type {ProxyChildMemory, ProxyChildSettings} from './proxy-child'

export interface ProxyProcess {
  /** `http://127.0.0.1:<port>`: the proxy's routes, served by the Node adapter. */
  url: string
  /** The proxy process's peak and current resident memory. */
  memory(): Promise<ProxyChildMemory>
  close(): Promise<void>
}

/**
 * Starts the real proxy in a child process (`proxy-child.ts`) wired to the stand-ins at
 * `settings.addresses`, and resolves once it listens. Its memory is then the proxy's alone.
 * With `maxOldSpaceMiB`, Node's old space is capped there (`--max-old-space-size`): V8 grows its
 * heap lazily when nothing presses it, so a capped run shows what the proxy needs to hold.
 */
export async function startProxyProcess(
  settings: ProxyChildSettings,
  {maxOldSpaceMiB}: {maxOldSpaceMiB?: number} = {},
): Promise<ProxyProcess> {
  const child = await startBenchChild(
    'proxy-child.ts',
    [JSON.stringify(settings)],
    maxOldSpaceMiB ? [`--max-old-space-size=${maxOldSpaceMiB}`] : [],
  )
  const {url} = JSON.parse(child.firstLine) as {url: string}
  return {
    url,
    async memory() {
      const response = await fetch(`${url}/__bench/memory`)
      if (!response.ok) throw new Error(`proxy process memory answered ${response.status}`)
      return (await response.json()) as ProxyChildMemory
    },
    close: child.close,
  }
}
