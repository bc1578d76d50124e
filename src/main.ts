import * as core from '@actions/core'
import * as github from '@actions/github'
import { existsSync } from 'node:fs'
import { guardRun, type RunGuard } from './cancellation.js'
import { ActionError, errorMessage } from './errors.js'
import { answerInThread } from './answer.js'
import { createOctokit, type Octokit } from './github/client.js'
import { readFindingThread } from './github/comment-thread.js'
import { type ActionInputs, readInputs } from './inputs.js'
import { actionLog } from './logger.js'
import { acceptTrigger, removingLabel } from './github/on-demand.js'
import { requireModel } from './opencode/config.js'
import { secretValuesIn } from './opencode/environment.js'
import { removeOpencodeHome } from './opencode/home.js'
import { killOrphanedServer } from './opencode/server.js'
import { reportAnswer, reportReview, sessionsOutput } from './outputs.js'
import { type PipelineHooks, runReviewPipeline } from './pipeline.js'
import { type EventTarget, resolveEventTarget } from './github/pull-request.js'

/** What the main step leaves for the post step. */
const STATE = { isPost: 'is-post', serverPid: 'opencode-pid', runDir: 'opencode-run-dir' } as const

/** Answers a question in the thread of one of the action's findings, or reviews the pull request; returns why the step fails, if it does. */
async function respond(
  octokit: Octokit,
  target: Extract<EventTarget, { kind: 'review' }>,
  inputs: ActionInputs,
  hooks: PipelineHooks
): Promise<string | undefined> {
  const { trigger, label, pullRequest: ref } = target
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  // A `/review` reply in a thread one of the action's findings opened asks about that finding.
  const thread = trigger?.replyTo
    ? await readFindingThread(octokit, ref, trigger.replyTo, trigger.commentId)
    : undefined
  if (trigger && thread) {
    await reportAnswer(await answerInThread({ octokit, ref, thread, trigger, workspace }, inputs, hooks))
    return undefined
  }
  if (trigger?.replyTo)
    hooks.log.info("The reply is not in the thread of one of this action's findings: reviewing the pull request.")
  const source = {
    kind: 'pull-request',
    octokit,
    ref,
    action: target.action,
    trigger,
    automatic: !trigger && !label,
    post: true,
    checkout: workspace,
    commit: 'checked-out'
  } as const
  const outcome = await runReviewPipeline(source, inputs, hooks)
  if (outcome.kind === 'skipped') return void core.notice(outcome.reason)
  return reportReview(outcome, inputs.failOn)
}

async function reviewTheEvent(guard: RunGuard): Promise<void> {
  const inputs = readInputs()
  const target = resolveEventTarget(github.context, inputs.prNumber, inputs.triggerPhrase, inputs.triggerLabel)
  if (target.kind === 'skip') return core.notice(target.reason)
  requireModel(inputs) // before any API call: no model anywhere is a mistake worth reporting first
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

/** The post step: stops a server the main step started but could not stop (it crashed or was killed), and removes the run's directory. */
async function cleanUpAfterMain(): Promise<void> {
  const pid = Number(core.getState(STATE.serverPid))
  if (pid > 0 && (await killOrphanedServer(pid)))
    core.info(`Stopped the OpenCode server (pid ${pid}) left by the main step.`)
  const runDir = core.getState(STATE.runDir)
  if (runDir && existsSync(runDir)) {
    removeOpencodeHome(runDir)
    core.info(`Removed the review's directory ${runDir} (the reviewed files and OpenCode's) left by the main step.`)
  }
}

export async function run(): Promise<void> {
  if (core.getState(STATE.isPost) === 'true') return cleanUpAfterMain()
  core.saveState(STATE.isPost, 'true')
  const guard = guardRun(core.info, (server) => {
    core.saveState(STATE.serverPid, server?.pid ?? '')
    core.saveState(STATE.runDir, server?.dir ?? '')
  })
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
