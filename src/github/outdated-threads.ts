import type { Octokit } from './client.js'
import { errorMessage } from '../errors.js'
import type { Finding } from '../domain/finding.js'
import { findingKey, readPostedFindings } from '../domain/markers.js'
import { counted, type Logger } from '../logger.js'
import type { PullRequest } from '../domain/pull-request.js'
import { readReviewThreads, resolveReviewThread, type ReviewThread } from './review-threads.js'

/**
 * Threads this action opened close themselves once settled: a later push made
 * them outdated, nobody replied, and the run after it did not find the same
 * problem again. A thread someone answered is theirs to close.
 */

/** The key of the finding the thread was opened for, when this action opened it. */
function ownFindingKey(thread: ReviewThread): string | undefined {
  const [opening] = thread.comments
  if (!opening || !(opening.byBot || opening.byViewer)) return undefined
  return readPostedFindings(opening.body)[0]?.key
}

/** A reply by anyone but a bot, or more comments than were read, makes it a conversation. */
function hasHumanReply(thread: ReviewThread): boolean {
  return thread.truncated || thread.comments.slice(1).some((comment) => !comment.byBot)
}

/** The threads to resolve: opened by this action for a finding `found` does not hold again (same file and title), outdated, unresolved, unanswered. */
export function threadsToResolve(threads: readonly ReviewThread[], found: readonly Finding[]): ReviewThread[] {
  const foundAgain = new Set(found.map(findingKey))
  return threads.filter((thread) => {
    const key = ownFindingKey(thread)
    return (
      key !== undefined && !foundAgain.has(key) && thread.isOutdated && !thread.isResolved && !hasHumanReply(thread)
    )
  })
}

/** GraphQL errors list their messages; anything else says its own. */
function refusal(error: unknown): string {
  const errors = (error as { errors?: Array<{ message?: string }> }).errors
  const message = Array.isArray(errors) ? errors.map((entry) => entry.message).join('; ') : errorMessage(error)
  // GitHub checks the token's `contents` permission for this mutation, not `pull-requests`.
  const hint = /not accessible by integration/i.test(message)
    ? " Resolving a review thread takes `contents: write` in the job's `permissions:`; or set `resolve-outdated: false`."
    : ''
  return `${message}.${hint}`
}

/**
 * Resolves the settled threads once the review is posted. The review stands
 * whatever happens here: a refusal is a warning, and the next run tries again.
 */
export async function resolveOutdatedThreads(
  octokit: Octokit,
  pullRequest: PullRequest,
  found: readonly Finding[],
  log: Logger
): Promise<void> {
  let settled: ReviewThread[]
  try {
    settled = threadsToResolve(await readReviewThreads(octokit, pullRequest), found)
  } catch (error) {
    log.warning(`Could not read the review threads to resolve outdated ones: ${refusal(error)}`)
    return
  }
  // The documented workflows grant `contents: read` on purpose (`write` would let the job push code): the threads stay open, said once.
  if (settled.length && !settled.some((thread) => thread.viewerCanResolve)) {
    log.info(
      `${counted(settled.length, 'outdated review thread')} of this action's ${settled.length === 1 ? 'stays' : 'stay'} open: this token may not resolve threads. GitHub asks for \`contents: write\` in the job's \`permissions:\` to resolve them (or set \`resolve-outdated: false\`).`
    )
    return
  }
  let resolved = 0
  for (const thread of settled) {
    try {
      await resolveReviewThread(octokit, thread.id)
      resolved++
    } catch (error) {
      // A refusal is most likely the token's permissions: the other threads would be refused alike.
      log.warning(`GitHub refused to resolve an outdated review thread: ${refusal(error)}`)
      break
    }
  }
  const left = settled.length - resolved
  log.info(
    `Resolved ${resolved} outdated review thread(s) that nobody answered and this run did not find again${left ? ` (${left} left unresolved)` : ''}.`
  )
}
