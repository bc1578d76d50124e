import os from 'node:os'
import type { ServerFootprint } from './opencode/boot.js'
import { removeOpencodeHome } from './opencode/home.js'
import { killProcessGroup } from './opencode/server.js'

/** The runner sends SIGKILL 7.5 s after SIGINT: the sessions get this long to abort before the server goes anyway. */
const CANCEL_GRACE_MS = 3000

export interface RunGuard {
  /** Aborted on SIGINT or SIGTERM. */
  signal: AbortSignal
  /** 128 + the signal's number, once a signal came. */
  exitCode(): number | undefined
  /** What the run leaves on the machine (its directory, its OpenCode server) while it runs, undefined once it is gone. */
  track(server: ServerFootprint | undefined): void
}

/**
 * For the entry points: a cancelled run (SIGINT, SIGTERM) aborts the review,
 * and no way out of the process, a crash included, leaves the server behind.
 */
/** `onTrack` hears of the server as the guard does (the action keeps it for its post step). */
export function guardRun(
  say: (line: string) => void,
  onTrack: (server: ServerFootprint | undefined) => void = () => undefined
): RunGuard {
  const controller = new AbortController()
  let server: ServerFootprint | undefined
  let exitCode: number | undefined
  const killServer = (): void => {
    if (server === undefined) return
    if (server.pid !== undefined) killProcessGroup(server.pid)
    removeOpencodeHome(server.dir)
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`Received ${signal}: aborting the review.`)
    exitCode = 128 + (os.constants.signals[signal] ?? 0)
    controller.abort()
    setTimeout(() => {
      killServer()
      say('Stopped the OpenCode server.')
      process.exit(exitCode)
    }, CANCEL_GRACE_MS).unref()
  }
  process.once('exit', killServer)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    exitCode: () => exitCode,
    track(running) {
      server = running
      onTrack(running)
    }
  }
}
