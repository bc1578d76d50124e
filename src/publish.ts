import * as core from '@actions/core'
import type { Anchor } from './diff-lines.js'
import type { Finding } from './findings.js'
import { explainGitHubError, isRequestError, type Octokit } from './github.js'
import type { CommentMode } from './inputs.js'
import type { PullRequest } from './pull-request.js'
import { composeBody, renderFindingList, renderInlineComment } from './render.js'

export interface InlineFinding {
  finding: Finding
  anchor: Anchor
}

export interface ReviewContent {
  summary: string
  footer: string
  /** Findings that go on their lines as review comments. */
  inline: InlineFinding[]
  /** Findings listed in the body. */
  listed: Finding[]
}

export interface Published {
  id: number
  url: string
  /** How many findings landed as review comments on their lines. */
  inlineComments: number
}

type ReviewComment = { path: string; line: number; side: 'RIGHT'; start_line?: number; start_side?: 'RIGHT'; body: string }

function reviewComment({ finding, anchor }: InlineFinding): ReviewComment {
  const range = anchor.startLine === undefined ? {} : { start_line: anchor.startLine, start_side: 'RIGHT' as const }
  return { path: anchor.path, line: anchor.line, side: 'RIGHT', ...range, body: renderInlineComment(finding) }
}

/** The summary and the findings listed in it; `besideLineComments` when others sit on their lines. */
function bodyOf(content: ReviewContent, listed: readonly Finding[], besideLineComments: boolean, headSha: string): string {
  const list = renderFindingList(listed, besideLineComments ? 'Findings outside the changed lines' : 'Findings')
  return composeBody(list ? `${content.summary}\n\n${list}` : content.summary, content.footer, headSha)
}

async function createReview(octokit: Octokit, pullRequest: PullRequest, body: string, comments: ReviewComment[]): Promise<{ id: number; url: string }> {
  const { data } = await octokit.rest.pulls.createReview({
    owner: pullRequest.owner,
    repo: pullRequest.repo,
    pull_number: pullRequest.number,
    commit_id: pullRequest.headSha,
    event: 'COMMENT',
    body,
    ...(comments.length ? { comments } : {})
  })
  return { id: data.id, url: data.html_url }
}

/** GitHub refuses a whole review when one comment's line is not in the diff (the head moved, or a case the mapping missed). */
function isLineRejection(error: unknown): boolean {
  return isRequestError(error) && error.status === 422
}

async function postComment(octokit: Octokit, pullRequest: PullRequest, body: string, stickyCommentId: number | undefined): Promise<{ id: number; url: string }> {
  const repo = { owner: pullRequest.owner, repo: pullRequest.repo }
  if (stickyCommentId !== undefined) {
    core.info(`Updating the review comment ${stickyCommentId} in place`)
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: stickyCommentId, body })
    return { id: data.id, url: data.html_url }
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: pullRequest.number, body })
  return { id: data.id, url: data.html_url }
}

async function post(octokit: Octokit, pullRequest: PullRequest, content: ReviewContent, mode: CommentMode, stickyCommentId: number | undefined): Promise<Published> {
  const comments = content.inline.map(reviewComment)
  const everything = [...content.inline.map(({ finding }) => finding), ...content.listed]
  let inlineReview: { id: number; url: string } | undefined
  try {
    if (mode === 'review') return { ...(await createReview(octokit, pullRequest, bodyOf(content, content.listed, comments.length > 0, pullRequest.headSha), comments)), inlineComments: comments.length }
    if (comments.length) {
      const note = `${comments.length} finding${comments.length === 1 ? '' : 's'} on the changed lines; the summary is in the OpenCode review comment of this pull request.`
      inlineReview = await createReview(octokit, pullRequest, note, comments)
    }
  } catch (error) {
    if (!isLineRejection(error)) throw error
    core.warning(`GitHub refused the findings on their lines (${(error as Error).message}); they are listed in the review instead.`)
    if (mode === 'review') return { ...(await createReview(octokit, pullRequest, bodyOf(content, everything, false, pullRequest.headSha), [])), inlineComments: 0 }
  }
  const listed = inlineReview ? content.listed : everything
  const comment = await postComment(octokit, pullRequest, bodyOf(content, listed, inlineReview !== undefined, pullRequest.headSha), mode === 'sticky' ? stickyCommentId : undefined)
  return { ...comment, inlineComments: inlineReview ? comments.length : 0 }
}

/** Posts the review per `comment-mode`: a PR review with comments on lines, or a comment plus a review holding the line comments. */
export async function publishReview(
  octokit: Octokit,
  pullRequest: PullRequest,
  content: ReviewContent,
  mode: CommentMode,
  stickyCommentId: number | undefined
): Promise<Published> {
  try {
    return await post(octokit, pullRequest, content, mode, stickyCommentId)
  } catch (error) {
    throw explainGitHubError(error, `post the review on pull request #${pullRequest.number}`)
  }
}
