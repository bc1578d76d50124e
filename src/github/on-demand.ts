import { errorMessage } from '../errors.js'
import { isRequestError, type Octokit } from './client.js'
import type { CommentTrigger, PullRequestRef } from '../domain/pull-request.js'
import type { Logger } from '../logger.js'
import { hasWriteAccess } from './permissions.js'

/** Reviews asked for in a comment: who may ask, and the reactions that say how it went. */

export type RunState = 'started' | 'succeeded' | 'failed'

export type React = (state: RunState) => Promise<void>

const CONTENT = { started: 'eyes', succeeded: 'rocket', failed: 'confused' } as const

/**
 * Reacts on the triggering comment: 👀 while the review runs, then 🚀 or 😕 in
 * its place. Reactions are courtesy: a failure to react is logged, never fatal.
 */
function reactionsOn(octokit: Octokit, repository: PullRequestRef, trigger: CommentTrigger, log: Logger): React {
  const repo = { owner: repository.owner, repo: repository.repo, comment_id: trigger.commentId }
  const onReviewComment = trigger.event === 'pull_request_review_comment'
  let eyes: number | undefined
  return async (state) => {
    try {
      if (eyes !== undefined) {
        const reaction = { ...repo, reaction_id: eyes }
        await (onReviewComment
          ? octokit.rest.reactions.deleteForPullRequestComment(reaction)
          : octokit.rest.reactions.deleteForIssueComment(reaction))
        eyes = undefined
      }
      const reaction = { ...repo, content: CONTENT[state] }
      const { data } = await (onReviewComment
        ? octokit.rest.reactions.createForPullRequestReviewComment(reaction)
        : octokit.rest.reactions.createForIssueComment(reaction))
      if (state === 'started') eyes = data.id
    } catch (error) {
      log.warning(`Could not react on the comment that asked for the review: ${errorMessage(error)}`)
    }
  }
}

/**
 * How to react on the comment that asked for the review, or undefined when
 * its author may not ask (a notice says so, nothing is run). A review nobody
 * asked for in a comment has nothing to react on.
 */
export async function acceptTrigger(
  octokit: Octokit,
  repository: PullRequestRef,
  trigger: CommentTrigger | undefined,
  log: Logger
): Promise<React | undefined> {
  if (!trigger) return async () => undefined
  // Only people with write access may spend the repository's model budget.
  if (await hasWriteAccess(octokit, repository, trigger.author, trigger.association, log))
    return reactionsOn(octokit, repository, trigger, log)
  const where = `${repository.owner}/${repository.repo}`
  log.notice(`@${trigger.author} asked for a review but has no write access to ${where}: nothing was run.`)
  return undefined
}

/**
 * Removes the trigger label once the review ends, posted or failed, so adding
 * it again asks for another review. A label already gone (404) is fine; any
 * other failure is logged, never fatal.
 */
export function removingLabel(octokit: Octokit, repository: PullRequestRef, label: string, log: Logger): React {
  return async (state) => {
    if (state === 'started') return
    try {
      await octokit.rest.issues.removeLabel({
        owner: repository.owner,
        repo: repository.repo,
        issue_number: repository.number,
        name: label
      })
    } catch (error) {
      if (!isRequestError(error) || error.status !== 404)
        log.warning(`Could not remove the label '${label}' that asked for the review: ${errorMessage(error)}`)
    }
  }
}
