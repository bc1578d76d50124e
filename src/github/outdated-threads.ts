import type { Octokit } from './client.js'
import { errorMessage } from '../errors.js'
import type { Finding } from '../domain/finding.js'
import { findingKey, isRecorded } from '../domain/markers.js'
import type { ThreadedFinding } from '../domain/thread.js'
import { counted, type Logger } from '../logger.js'
import type { EarlierFindings } from './standing.js'
import { resolveReviewThread } from './review-threads.js'

/**
 * Threads this action opened close themselves once settled: their finding's code changed (a later push
 * made them outdated), nobody replied, and the run after it did not find the same problem again. A
 * thread someone answered is theirs to close.
 */

/** A reply by anyone but a bot, or more comments than were read, makes it a conversation. */
function hasHumanReply(thread: ThreadedFinding): boolean {
  return thread.truncated || thread.replies.some((reply) => !reply.author.bot)
}

/**
 * The threads to resolve: outdated, unresolved, unanswered, for a finding `found` does not hold again (same file
 * and title) whose code changed or is gone. An older release's finding, whose code is not known, needs no more.
 */
export function threadsToResolve(earlier: EarlierFindings, found: readonly Finding[]): ThreadedFinding[] {
  const foundAgain = new Set(found.map(findingKey))
  const fixed = new Set(earlier.findings.filter((finding) => finding.state === 'fixed').map((finding) => finding.url))
  return earlier.threads.filter(
    (thread) =>
      !foundAgain.has(thread.finding.key) &&
      (fixed.has(thread.url) || !isRecorded(thread.finding)) &&
      thread.isOutdated &&
      !thread.isResolved &&
      !hasHumanReply(thread)
  )
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
  earlier: EarlierFindings,
  found: readonly Finding[],
  log: Logger
): Promise<void> {
  const settled = threadsToResolve(earlier, found)
  if (settled.length === 0) return
  // The documented workflows grant `contents: read` on purpose (`write` would let the job push code): the threads stay open, said once.
  if (!settled.some((thread) => thread.viewerCanResolve)) {
    log.info(
      `${counted(settled.length, 'outdated review thread')} of this action's ${settled.length === 1 ? 'stays' : 'stay'} open: this token may not resolve threads. GitHub asks for \`contents: write\` in the job's \`permissions:\` to resolve them (or set \`resolve-outdated: false\`).`
    )
    return
  }
  let resolved = 0
  for (const thread of settled) {
    try {
      await resolveReviewThread(octokit, thread.threadId)
      resolved++
    } catch (error) {
      // A refusal is most likely the token's permissions: the other threads would be refused alike.
      log.warning(`GitHub refused to resolve an outdated review thread: ${refusal(error)}`)
      break
    }
  }
  const left = settled.length - resolved
  log.info(
    `Resolved ${resolved} outdated review thread(s) whose code changed, that nobody answered and this run did not find again${left ? ` (${left} left unresolved)` : ''}.`
  )
}
