import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import type { ServerFootprint } from '../opencode/boot.js'
import { removeOpencodeHome } from '../opencode/home.js'
import { killOrphanedServer } from '../opencode/server.js'

/** The action's post step, and what the main step leaves for it: whatever a crashed or killed run left on the runner. */

const STATE = { isPost: 'is-post', serverPid: 'opencode-pid', runDir: 'opencode-run-dir' } as const

/** Which step this is: the main step marks the run, so that its post step knows itself. */
export function currentStep(): 'main' | 'post' {
  if (core.getState(STATE.isPost) === 'true') return 'post'
  core.saveState(STATE.isPost, 'true')
  return 'main'
}

/** Keeps what the run has on the machine, for the post step to clean up should the main step not. */
export function leaveForPostStep(server: ServerFootprint | undefined): void {
  core.saveState(STATE.serverPid, server?.pid ?? '')
  core.saveState(STATE.runDir, server?.dir ?? '')
}

/** The post step: stops a server the main step started but could not stop (it crashed or was killed), and removes the run's directory. */
export async function cleanUpAfterMain(): Promise<void> {
  const pid = Number(core.getState(STATE.serverPid))
  if (pid > 0 && (await killOrphanedServer(pid)))
    core.info(`Stopped the OpenCode server (pid ${pid}) left by the main step.`)
  const runDir = core.getState(STATE.runDir)
  if (runDir && existsSync(runDir)) {
    removeOpencodeHome(runDir)
    core.info(`Removed the review's directory ${runDir} (OpenCode's project root and files) left by the main step.`)
  }
}
