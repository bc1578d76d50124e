import { errorMessage } from '../errors.js'
import type { OpencodeSetup } from './config.js'
import { scrubEnvironment } from './environment.js'
import { installOpencode, locateOpencode } from './install.js'
import { type OpencodeServer, startServer } from './server.js'
import type { Logger } from '../logger.js'

export interface BootOptions {
  opencodeVersion: string
  startupTimeoutMs: number
  /** The server's working directory: what the reviewer may read. */
  workspace: string
  /** Values kept out of the server's environment, under whatever name they hide. */
  secrets: string[]
  log: Logger
  /** Told the server's pid as soon as it runs, so a killed run can still stop it. */
  onStarted: (pid: number) => void
  /** Told when that server is down. */
  onStopped: () => void
}

/** Finds or installs OpenCode and boots it: the PATH binary if its server reports the pinned version, else the tool cache or npm. */
export async function bootServer(options: BootOptions, opencode: OpencodeSetup): Promise<OpencodeServer> {
  const { log } = options
  const start = async (binary: string) => {
    const server = await startServer({
      binary,
      cwd: options.workspace,
      env: { ...scrubEnvironment(process.env, options.secrets), ...opencode.environment },
      config: opencode.config,
      startupTimeoutMs: options.startupTimeoutMs,
      log
    })
    options.onStarted(server.pid)
    const stop = server.stop
    server.stop = async () => {
      await stop()
      options.onStopped()
    }
    return server
  }
  const found = await locateOpencode(options.opencodeVersion, log)
  let server = found.verified
    ? await start(found.path)
    : await start(found.path).catch(
        (error) => void log.warning(`The OpenCode on PATH did not start: ${errorMessage(error)}`)
      )
  if (server?.version !== found.version) {
    if (server) log.info(`The OpenCode on PATH is version ${server.version}, not ${found.version}.`)
    await server?.stop()
    server = await start(await installOpencode(found.version, log))
  }
  log.info(`OpenCode ${server.version} is listening on ${server.url}`)
  return server
}
