import * as core from '@actions/core'
import * as github from '@actions/github'
import { guardRun, type RunGuard } from '../cancellation.js'
import { ActionError, errorMessage } from '../errors.js'
import { createOctokit } from '../github/client.js'
import { acceptTrigger, removingLabel } from '../github/on-demand.js'
import { resolveEventTarget } from '../github/pull-request.js'
import { readInputs } from './inputs.js'
import { requireProviderKeys } from './keys.js'
import { actionLog } from '../logger.js'
import { requireModel } from '../opencode/config.js'
import { secretValuesIn } from '../opencode/environment.js'
import { sessionsOutput } from './outputs.js'
import { cleanUpAfterMain, currentStep, leaveForPostStep } from './post-step.js'
import { respond } from './respond.js'

/** The action's entry: the post step cleans up; the main step answers the event, and fails in one place. */

async function reviewTheEvent(guard: RunGuard): Promise<void> {
  const inputs = readInputs()
  const target = resolveEventTarget(github.context, inputs.prNumber, inputs.triggerPhrase, inputs.triggerLabel)
  if (target.kind === 'skip') return core.notice(target.reason)
  // Before any API call: no model anywhere, or no key for one, is a mistake worth reporting first.
  requireModel(inputs)
  requireProviderKeys(inputs, github.context, process.env)
  const octokit = createOctokit(inputs.githubToken, actionLog)
  const { trigger, label, pullRequest: ref } = target
  // Whoever can add a label has triage access or more: no permission check.
  const react = label
    ? removingLabel(octokit, ref, label, actionLog)
    : await acceptTrigger(octokit, ref, trigger, actionLog)
  if (!react) return
  await react('started')
  const failure = await respond(octokit, target, inputs, {
    log: actionLog,
    secrets: [inputs.githubToken, ...secretValuesIn(process.env)],
    progress: core.info,
    onServer: guard.track,
    onSession: sessionsOutput(),
    cancel: guard.signal
  }).catch(async (error: unknown) => {
    await react('failed')
    throw error
  })
  await react('succeeded')
  if (failure) throw new ActionError(failure)
}

export async function run(): Promise<void> {
  if (currentStep() === 'post') return cleanUpAfterMain()
  const guard = guardRun(core.info, leaveForPostStep)
  try {
    await reviewTheEvent(guard)
  } catch (error) {
    const cancelled = guard.exitCode()
    if (cancelled !== undefined) {
      core.info('Stopped the OpenCode server.')
      process.exitCode = cancelled
      return
    }
    const known = error instanceof ActionError
    core.setFailed(known ? error.message : `Unexpected error: ${errorMessage(error)}`)
    if (!known && error instanceof Error && error.stack) core.debug(error.stack)
  }
}
