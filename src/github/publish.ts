import type { InlineFinding } from '../diff/lines.js'
import type { Finding } from '../domain/finding.js'
import { explaining, isRequestError, type Octokit } from './client.js'
import type { CommentMode } from '../settings.js'
import type { PullRequest } from '../domain/pull-request.js'
import { MARKER } from '../domain/markers.js'
import { composeBody, renderFindingList, renderInlineComment } from './render.js'
import type { Logger } from '../logger.js'

/** What a review posts. */
export interface ReviewContent {
  summary: string
  footer: string
  /** Findings that go on their lines as review comments. */
  inline: InlineFinding[]
  /** Findings listed in the body. */
  listed: Finding[]
  /** Standing findings of earlier reviews the sticky comment listed: listed again, as it is rewritten. */
  carried: Finding[]
  /** The keys of the findings that stand once the review is posted, recorded in its body. */
  standing: string[]
}

/** How a review is posted: GitHub's events, never APPROVE. */
export type PostedEvent = 'COMMENT' | 'REQUEST_CHANGES'

export interface Published {
  id: number
  url: string
  /** How many findings landed as review comments on their lines. */
  inlineComments: number
}

type ReviewComment = {
  path: string
  line: number
  side: 'RIGHT'
  start_line?: number
  start_side?: 'RIGHT'
  body: string
}

function reviewComment({ finding, anchor }: InlineFinding): ReviewComment {
  const range = anchor.startLine === undefined ? {} : { start_line: anchor.startLine, start_side: 'RIGHT' as const }
  return { path: anchor.path, line: anchor.line, side: 'RIGHT', ...range, body: renderInlineComment(finding) }
}

/** The summary, the findings listed in it (`besideLineComments` when others sit on their lines) and those carried over. */
function bodyOf(
  content: ReviewContent,
  listed: readonly Finding[],
  besideLineComments: boolean,
  headSha: string
): string {
  const markdown = [
    content.summary,
    renderFindingList(listed, besideLineComments ? 'Findings outside the changed lines' : 'Findings'),
    renderFindingList(content.carried, 'Still standing from earlier reviews')
  ]
  return composeBody(markdown.filter(Boolean).join('\n\n'), content.footer, headSha, content.standing)
}

async function createReview(
  octokit: Octokit,
  pullRequest: PullRequest,
  body: string,
  comments: ReviewComment[],
  event: PostedEvent
): Promise<{ id: number; url: string }> {
  const { data } = await octokit.rest.pulls.createReview({
    owner: pullRequest.owner,
    repo: pullRequest.repo,
    pull_number: pullRequest.number,
    commit_id: pullRequest.headSha,
    event,
    body,
    ...(comments.length ? { comments } : {})
  })
  return { id: data.id, url: data.html_url }
}

/** GitHub refuses a whole review when one comment's line is not in the diff (the head moved, or a case the mapping missed). */
function isLineRejection(error: unknown): boolean {
  return isRequestError(error) && error.status === 422
}

async function postComment(
  octokit: Octokit,
  pullRequest: PullRequest,
  body: string,
  stickyCommentId: number | undefined,
  log: Logger
): Promise<{ id: number; url: string }> {
  const repo = { owner: pullRequest.owner, repo: pullRequest.repo }
  if (stickyCommentId !== undefined) {
    log.info(`Updating the review comment ${stickyCommentId} in place`)
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: stickyCommentId, body })
    return { id: data.id, url: data.html_url }
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: pullRequest.number, body })
  return { id: data.id, url: data.html_url }
}

/** A pull request review: the summary as its body, each finding that can sit on its lines as a comment there. */
async function postReview(
  octokit: Octokit,
  pullRequest: PullRequest,
  content: ReviewContent,
  event: PostedEvent,
  log: Logger
): Promise<Published> {
  const comments = content.inline.map(reviewComment)
  try {
    return {
      ...(await createReview(
        octokit,
        pullRequest,
        bodyOf(content, content.listed, comments.length > 0, pullRequest.headSha),
        comments,
        event
      )),
      inlineComments: comments.length
    }
  } catch (error) {
    if (!isLineRejection(error)) throw error
    warnLinesRefused(error, log)
    return {
      ...(await createReview(
        octokit,
        pullRequest,
        bodyOf(content, everyFinding(content), false, pullRequest.headSha),
        [],
        event
      )),
      inlineComments: 0
    }
  }
}

/** The body of the review beside the summary comment; marked so a later run can dismiss its change request. */
function lineReviewNote(comments: number): string {
  const what = comments ? `${comments} finding${comments === 1 ? '' : 's'} on the changed lines` : 'Changes requested'
  return `${what}; the summary is in the OpenCode review comment of this pull request.\n${MARKER}`
}

/**
 * A comment holding the summary (updated in place when `stickyCommentId` is set), beside a review holding the
 * line comments. A comment cannot request changes: the review carries the event, posted even without line comments.
 */
async function postCommentWithReview(
  octokit: Octokit,
  pullRequest: PullRequest,
  content: ReviewContent,
  stickyCommentId: number | undefined,
  event: PostedEvent,
  log: Logger
): Promise<Published> {
  const comments = content.inline.map(reviewComment)
  const review = (lineComments: ReviewComment[]) =>
    createReview(octokit, pullRequest, lineReviewNote(lineComments.length), lineComments, event)
  let inlineReview: { id: number; url: string } | undefined
  if (comments.length) {
    inlineReview = await review(comments).catch((error: unknown) => {
      if (!isLineRejection(error)) throw error
      warnLinesRefused(error, log)
      return undefined
    })
  }
  if (!inlineReview && event === 'REQUEST_CHANGES') await review([])
  const listed = inlineReview ? content.listed : everyFinding(content)
  const comment = await postComment(
    octokit,
    pullRequest,
    bodyOf(content, listed, inlineReview !== undefined, pullRequest.headSha),
    stickyCommentId,
    log
  )
  return { ...comment, inlineComments: inlineReview ? comments.length : 0 }
}

function everyFinding(content: ReviewContent): Finding[] {
  return [...content.inline.map(({ finding }) => finding), ...content.listed]
}

function warnLinesRefused(error: unknown, log: Logger): void {
  log.warning(
    `GitHub refused the findings on their lines (${(error as Error).message}); they are listed in the review instead.`
  )
}

/** Posts the review per `comment-mode`: a PR review with comments on lines, or a comment plus a review holding the line comments; `event` says whether it requests changes. */
export async function publishReview(
  octokit: Octokit,
  pullRequest: PullRequest,
  content: ReviewContent,
  mode: CommentMode,
  stickyCommentId: number | undefined,
  event: PostedEvent,
  log: Logger
): Promise<Published> {
  return explaining(`post the review on pull request #${pullRequest.number}`, async () => {
    switch (mode) {
      case 'review':
        return postReview(octokit, pullRequest, content, event, log)
      case 'sticky':
        return postCommentWithReview(octokit, pullRequest, content, stickyCommentId, event, log)
      case 'comment':
        return postCommentWithReview(octokit, pullRequest, content, undefined, event, log)
      default:
        // A mode added to COMMENT_MODES without a way to post it fails to compile here.
        return mode satisfies never
    }
  })
}
