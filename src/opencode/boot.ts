import os from 'node:os'
import { errorMessage } from '../errors.js'
import type { OpencodeSetup } from './config.js'
import { scrubEnvironment } from './environment.js'
import { createOpencodeHome, type OwnOpencode, removeOpencodeHome } from './home.js'
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
  /** The developer's OpenCode config and credentials (the local command); the action reviews with its inputs alone. */
  ownOpencode?: OwnOpencode
  /** Told of the server as soon as it runs, so a killed run can still clean up after it. */
  onStarted: (server: ServerFootprint) => void
  /** Told when that server is down. */
  onStopped: () => void
}

/** What a server leaves on the machine until it is stopped: its process group and its directory. */
export interface ServerFootprint {
  pid: number
  /** OpenCode's directory for this server (see home.ts). */
  home: string
}

/** Finds or installs OpenCode and boots it: the PATH binary if its server reports the pinned version, else the tool cache or npm. */
export async function bootServer(options: BootOptions, opencode: OpencodeSetup): Promise<OpencodeServer> {
  const { log } = options
  const found = await locateOpencode(options.opencodeVersion, log)
  const booting = Date.now()
  const start = async (binary: string) => {
    const home = createOpencodeHome(process.env.RUNNER_TEMP || os.tmpdir(), found.version, options.ownOpencode)
    const server = await startServer({
      binary,
      cwd: options.workspace,
      env: { ...scrubEnvironment(process.env, options.secrets), ...opencode.environment, ...home.environment },
      config: opencode.config,
      startupTimeoutMs: options.startupTimeoutMs,
      log
    }).catch((error: unknown) => {
      removeOpencodeHome(home.dir)
      throw error
    })
    options.onStarted({ pid: server.pid, home: home.dir })
    const stop = server.stop
    server.stop = async () => {
      await stop()
      removeOpencodeHome(home.dir)
      options.onStopped()
    }
    return server
  }
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
  log.info(`OpenCode ${server.version} ready in ${((Date.now() - booting) / 1000).toFixed(1)} s on ${server.url}`)
  return server
}
