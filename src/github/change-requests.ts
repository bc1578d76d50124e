import { errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import type { Verdict } from '../domain/verdict.js'
import type { Octokit } from './client.js'
import type { PullRequest } from '../domain/pull-request.js'

/** `review-event: request-changes`: the review blocks while findings at or above `fail-on` stand, and stops blocking once none do. */

/** Dismisses the action's own earlier change requests once `verdict` is clear; one that cannot be dismissed is logged, never fatal. */
export async function dismissChangeRequests(
  octokit: Octokit,
  pullRequest: PullRequest,
  reviewIds: readonly number[],
  verdict: Verdict,
  log: Logger
): Promise<void> {
  const message = `Nothing at or above '${verdict.failOn}' stands on ${pullRequest.headSha.slice(0, 7)}: the change request is dismissed.`
  for (const reviewId of reviewIds) {
    try {
      await octokit.rest.pulls.dismissReview({
        owner: pullRequest.owner,
        repo: pullRequest.repo,
        pull_number: pullRequest.number,
        review_id: reviewId,
        message
      })
      log.info(`Dismissed the earlier change request ${reviewId}.`)
    } catch (error) {
      log.warning(`Could not dismiss the earlier change request ${reviewId}: ${errorMessage(error)}`)
    }
  }
}
