import * as core from '@actions/core'
import { explainGitHubError, type Octokit } from './github.js'
import type { CommentMode } from './inputs.js'
import type { PullRequest } from './pull-request.js'

/** Hidden in every body the action posts: how a sticky comment is found again. */
export const MARKER = '<!-- opencode-pr-review -->'
/** GitHub rejects a comment or review body longer than this. */
export const MAX_BODY_CHARS = 65_536

export interface FooterFacts {
  model: string
  filesReviewed: number
  filesLeftOut: number
  tokens?: { input: number; output: number }
  cost?: number
}

export function formatFooter(facts: FooterFacts): string {
  const parts = [`Reviewed by OpenCode with \`${facts.model}\``, `${facts.filesReviewed} file${facts.filesReviewed === 1 ? '' : 's'} reviewed`]
  if (facts.filesLeftOut > 0) parts.push(`${facts.filesLeftOut} left out`)
  if (facts.tokens && facts.tokens.input + facts.tokens.output > 0) {
    parts.push(`${facts.tokens.input.toLocaleString('en-US')} in / ${facts.tokens.output.toLocaleString('en-US')} out tokens`)
  }
  if (facts.cost) parts.push(`$${facts.cost.toFixed(4)}`)
  return `<sub>${parts.join(' · ')}</sub>`
}

/** Cuts at a character boundary and closes a code fence the cut left open. */
function cutMarkdown(markdown: string, length: number): string {
  let cut = markdown.slice(0, length)
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  const fences = cut.match(/^\s*(```|~~~)/gm)?.length ?? 0
  return fences % 2 === 1 ? `${cut}\n\`\`\`` : cut
}

/** The posted body: the review, a footer and the marker, within GitHub's size limit. */
export function composeBody(markdown: string, footer: string, limit = MAX_BODY_CHARS): string {
  const tail = `\n\n---\n${footer}\n${MARKER}`
  if (markdown.length + tail.length <= limit) return markdown + tail
  const note = `\n\n> [!NOTE]\n> The review was cut here: it had ${markdown.length.toLocaleString('en-US')} characters, more than a GitHub comment holds. The whole review is in the workflow run's summary.`
  // Room for the note, the tail and the fence that cutting may have to close.
  return cutMarkdown(markdown, limit - note.length - tail.length - 4) + note + tail
}

export interface Published {
  id: number
  url: string
}

async function findStickyComment(octokit: Octokit, pullRequest: PullRequest): Promise<number | undefined> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pullRequest.owner,
    repo: pullRequest.repo,
    issue_number: pullRequest.number,
    per_page: 100
  })
  return comments.find((comment) => comment.body?.includes(MARKER))?.id
}

async function post(octokit: Octokit, pullRequest: PullRequest, body: string, mode: CommentMode): Promise<Published> {
  const repo = { owner: pullRequest.owner, repo: pullRequest.repo }
  if (mode === 'review') {
    const { data } = await octokit.rest.pulls.createReview({ ...repo, pull_number: pullRequest.number, commit_id: pullRequest.headSha, event: 'COMMENT', body })
    return { id: data.id, url: data.html_url }
  }
  const stickyId = mode === 'sticky' ? await findStickyComment(octokit, pullRequest) : undefined
  if (stickyId !== undefined) {
    core.info(`Updating the review comment ${stickyId} in place`)
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: stickyId, body })
    return { id: data.id, url: data.html_url }
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: pullRequest.number, body })
  return { id: data.id, url: data.html_url }
}

/** Posts the body on the pull request per `comment-mode`. */
export async function publishReview(octokit: Octokit, pullRequest: PullRequest, body: string, mode: CommentMode): Promise<Published> {
  try {
    return await post(octokit, pullRequest, body, mode)
  } catch (error) {
    throw explainGitHubError(error, `post the review on pull request #${pullRequest.number}`)
  }
}
