import {clerkProxyOptionsFromEnv, PROXY_ENV} from '../../options'
import {startNodeServer} from './server'

const USAGE = `Usage: sanity-plugin-clerk proxy [--port <port>] [--host <host>]

Starts the Clerk proxy on a Node HTTP server. Configuration comes from the environment:
  ${PROXY_ENV.clerkSecretKey} (required)   ${PROXY_ENV.projectId} (required)
  ${PROXY_ENV.dataset} (required)          ${PROXY_ENV.token} (required, read token)
  ${PROXY_ENV.allowedOrigins} (comma-separated Studio origins)
  ${PROXY_ENV.webhookSecret}  ${PROXY_ENV.clerkApiUrl}  ${PROXY_ENV.apiHost}  ${PROXY_ENV.apiVersion}
  ${PROXY_ENV.basePath}  ${PROXY_ENV.namespace}  ${PROXY_ENV.grantableTypes}  PORT  HOST`

function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`)
  return index === -1 ? undefined : args[index + 1]
}

/** `sanity-plugin-clerk proxy`: runs the proxy until SIGINT/SIGTERM. Returns the exit code. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = args
  if (command !== 'proxy' || rest.includes('--help')) {
    console.error(USAGE)
    return command === 'proxy' ? 0 : 1
  }
  const port = Number(flag(rest, 'port') ?? env.PORT ?? 8787)
  const host = flag(rest, 'host') ?? env.HOST ?? '127.0.0.1'
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`sanity-plugin-clerk: --port must be 0-65535, got ${port}`)
    return 1
  }
  // Listen for the signals before anything is printed: a signal that arrives before Node has a
  // listener kills the process without a clean shutdown.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  let server
  try {
    server = await startNodeServer(clerkProxyOptionsFromEnv(env), {port, host})
  } catch (error) {
    console.error((error as Error).message)
    return 1
  }
  const basePath = env[PROXY_ENV.basePath] ?? ''
  console.info(`sanity-plugin-clerk proxy listening on ${server.url}${basePath}`)
  await stopRequested
  await server.close()
  console.info('sanity-plugin-clerk proxy stopped')
  return 0
}
