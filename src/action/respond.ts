import * as core from '@actions/core'
import { answerInThread } from '../answer.js'
import type { Octokit } from '../github/client.js'
import { readFindingThread } from '../github/comment-thread.js'
import type { EventTarget } from '../github/pull-request.js'
import type { ActionInputs } from './inputs.js'
import { reportAnswer, reportLearned, reportReview, reportStanding } from './outputs.js'
import { postCheckRun } from '../github/check-run.js'
import { learnCommand, learnFromComment, learnFromThreads } from '../learn.js'
import type { PipelineHooks } from '../reviewer.js'
import { runReviewPipeline } from '../pipeline.js'

/** What the action does for a pull request it was asked about: learn, answer in a finding's thread, or review. */

/** Answers a question in the thread of one of the action's findings, or reviews the pull request; returns why the step fails, if it does. */
export async function respond(
  octokit: Octokit,
  target: Extract<EventTarget, { kind: 'review' }>,
  inputs: ActionInputs,
  hooks: PipelineHooks
): Promise<string | undefined> {
  const { trigger, label, pullRequest: ref } = target
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const learning = { learningsLabel: inputs.learningsLabel, triggerPhrase: inputs.triggerPhrase }
  // Every run on the pull request learns what its maintainers said since, whatever it was asked to do.
  if (inputs.learn) await learnFromThreads(octokit, ref, learning, hooks.log)
  const taught = trigger && learnCommand(trigger.instructions)
  if (trigger && taught !== undefined) {
    if (!inputs.learn) return void core.notice("Learning is off ('learn: false'): nothing was learned.")
    await reportLearned(await learnFromComment(octokit, ref, trigger, taught, learning, hooks.log))
    return undefined
  }
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
  if (outcome.kind === 'skipped') {
    core.notice(outcome.reason)
    // Nothing new to review: the findings earlier reviews posted still judge the pull request.
    if (!outcome.judged) return undefined
    const { pullRequest, verdict } = outcome.judged
    const failure = await reportStanding(verdict, pullRequest, outcome.reason)
    if (inputs.checkRun) await postCheckRun(octokit, pullRequest, verdict, undefined, hooks.log)
    return failure
  }
  const failure = await reportReview(outcome)
  if (inputs.checkRun)
    await postCheckRun(octokit, outcome.pullRequest, outcome.delivery.verdict, outcome.published?.url, hooks.log)
  return failure
}
