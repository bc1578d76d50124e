import type { FileExcerpt, FindingThread } from '../domain/thread.js'
import { explaining, isRequestError, type Octokit } from './client.js'
import { readPostedFindings, withoutMarkers } from '../domain/markers.js'
import { trusted } from './history.js'
import type { PullRequestRef } from '../domain/pull-request.js'

/**
 * A thread one of this action's findings opened, read back when someone asks
 * about it, and the file around the lines it sits on.
 */

/** Comments of a long thread shown to the model: the finding, and the latest replies. */
const LATEST_REPLIES = 20

type ListedComment = Awaited<ReturnType<Octokit['rest']['pulls']['listReviewComments']>>['data'][number]

/**
 * The thread `replyTo` opened when one of this action's findings opened it (a
 * bot's or a trusted author's comment holding a finding marker), else undefined:
 * the question is about something else. `questionId` is the comment that asks.
 */
export async function readFindingThread(
  octokit: Octokit,
  ref: PullRequestRef,
  replyTo: number,
  questionId: number
): Promise<FindingThread | undefined> {
  return explaining(`read the review thread of comment ${replyTo} on pull request #${ref.number}`, async () => {
    const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.number,
      per_page: 100
    })
    const byId = new Map(comments.map((comment) => [comment.id, comment]))
    const first = byId.get(replyTo)
    // GitHub points replies at the thread's first comment; an older reply may point at another reply.
    const root = first?.in_reply_to_id ? byId.get(first.in_reply_to_id) : first
    if (!root || !trusted(root) || readPostedFindings(root.body).length === 0) return undefined
    const replies = comments
      .filter((comment) => comment.in_reply_to_id === root.id && comment.id < questionId)
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
    const shown = replies.slice(-LATEST_REPLIES)
    return {
      rootId: root.id,
      path: root.path,
      ...placeOf(root),
      finding: withoutMarkers(root.body).trim(),
      replies: shown.map((comment) => ({
        author: comment.user?.login ?? 'unknown',
        body: withoutMarkers(comment.body).trim()
      })),
      earlierReplies: replies.length - shown.length
    }
  })
}

/** Where the thread sits: GitHub gives no current line once the lines it was on changed (outdated). */
function placeOf(root: ListedComment): Pick<FindingThread, 'startLine' | 'endLine' | 'commit'> {
  if (typeof root.line === 'number')
    return { startLine: root.start_line ?? root.line, endLine: root.line, commit: root.commit_id }
  const endLine = root.original_line ?? 1
  return { startLine: root.original_start_line ?? endLine, endLine, commit: root.original_commit_id }
}

/** Lines of context shown on each side of the finding's lines. */
const CONTEXT_LINES = 30

/** The file at the thread's commit around the finding's lines, numbered; a file GitHub cannot show is said so, not fatal. */
export async function readExcerpt(
  octokit: Octokit,
  ref: PullRequestRef,
  thread: FindingThread
): Promise<FileExcerpt | string> {
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: ref.owner,
      repo: ref.repo,
      path: thread.path,
      ref: thread.commit
    })
    // Files over 1 MB come without content.
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data) || data.encoding !== 'base64')
      return `${thread.path} could not be shown (not a file GitHub returns whole)`
    const lines = Buffer.from(data.content, 'base64').toString('utf8').split('\n')
    if (thread.startLine > lines.length)
      return `${thread.path} has only ${lines.length} lines in commit ${thread.commit.slice(0, 7)}`
    const firstLine = Math.max(1, thread.startLine - CONTEXT_LINES)
    const lastLine = Math.min(lines.length, thread.endLine + CONTEXT_LINES)
    const width = String(lastLine).length
    const text = lines
      .slice(firstLine - 1, lastLine)
      .map((line, index) => `${String(firstLine + index).padStart(width)}  ${line}`)
      .join('\n')
    return { text, firstLine, lastLine }
  } catch (error) {
    // The reviewer can still read the checkout: the answer does not hang on this.
    if (!isRequestError(error)) throw error
    return error.status === 404
      ? `${thread.path} is not in commit ${thread.commit.slice(0, 7)}`
      : `${thread.path} could not be read (GitHub answered ${error.status})`
  }
}

/** Posts `body` as a reply in the thread. */
export async function postReply(
  octokit: Octokit,
  ref: PullRequestRef,
  thread: FindingThread,
  body: string
): Promise<{ id: number; url: string }> {
  return explaining(`answer in the review thread on pull request #${ref.number}`, async () => {
    const { data } = await octokit.rest.pulls.createReplyForReviewComment({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.number,
      comment_id: thread.rootId,
      body
    })
    return { id: data.id, url: data.html_url }
  })
}
