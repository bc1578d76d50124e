import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { errorMessage } from '../errors.js'
import { type OpencodeSetup, serverEnvironment } from './config.js'
import { scrubEnvironment } from './environment.js'
import { createOpencodeHome, type OwnOpencode, removeOpencodeHome } from './home.js'
import { installOpencode, locateOpencode } from './install.js'
import { emptyProjectRoot } from './project-root.js'
import { type OpencodeServer, startServer } from './server.js'
import type { Logger } from '../logger.js'

export interface BootOptions {
  opencodeVersion: string
  startupTimeoutMs: number
  /**
   * Where OpenCode runs: the developer's own checkout (the local command's branch). By default an empty
   * folder of the run's own that is its own project root (see project-root.ts).
   */
  projectDir?: string
  /** Whether the review reads a pull request's files, which must not configure OpenCode in any way. */
  pullRequestFiles: boolean
  /** The developer's OpenCode config and credentials (the local command); the action reviews with its inputs alone. */
  ownOpencode?: OwnOpencode
}

/** Where the boot's logs go, what it keeps secret, and who hears of what it leaves on the machine. */
export interface BootHooks {
  /** Values kept out of the server's environment, under whatever name they hide, but in its providers' own variables. */
  secrets: string[]
  log: Logger
  /** Told of what the run leaves on the machine as soon as it exists, so a killed run can still clean up after it. */
  onStarted: (server: ServerFootprint) => void
  /** Told when that server is down. */
  onStopped: () => void
}

/** What a run leaves on the machine until it is stopped: the server's process group, once it runs, and the run's directory. */
export interface ServerFootprint {
  pid?: number
  /** The run's directory: OpenCode's empty project root and its directories (see home.ts). */
  dir: string
}

/** Finds or installs OpenCode and boots it: the PATH binary if its server reports the pinned version, else the tool cache or npm. */
export async function bootServer(
  options: BootOptions,
  opencode: OpencodeSetup,
  hooks: BootHooks
): Promise<OpencodeServer> {
  const { log } = hooks
  const own = options.ownOpencode !== undefined
  const booting = Date.now()
  const runDir = mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'opencode-review-'))
  hooks.onStarted({ dir: runDir })
  const removeRun = (): void => {
    removeOpencodeHome(runDir)
    hooks.onStopped()
  }
  try {
    const [found, cwd] = await Promise.all([
      locateOpencode(options.opencodeVersion, log),
      options.projectDir ?? emptyProjectRoot(runDir)
    ])
    const start = async (binary: string) => {
      const home = createOpencodeHome(runDir, found.version, options.ownOpencode)
      const server = await startServer({
        binary,
        cwd,
        env: {
          ...scrubEnvironment(process.env, hooks.secrets, own, opencode.credentials),
          ...serverEnvironment({ pullRequest: options.pullRequestFiles, ownOpencode: own }),
          ...home.environment
        },
        config: opencode.config,
        startupTimeoutMs: options.startupTimeoutMs,
        log
      }).catch((error: unknown) => {
        removeOpencodeHome(home.dir)
        throw error
      })
      hooks.onStarted({ pid: server.pid, dir: runDir })
      const stop = server.stop
      server.stop = async () => {
        await stop()
        removeOpencodeHome(home.dir)
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
      hooks.onStarted({ dir: runDir })
      server = await start(await installOpencode(found.version, log))
    }
    const stopServer = server.stop
    server.stop = async () => {
      await stopServer()
      removeRun()
    }
    log.info(`OpenCode ${server.version} ready in ${((Date.now() - booting) / 1000).toFixed(1)} s on ${server.url}`)
    return server
  } catch (error) {
    removeRun()
    throw error
  }
}
