import type { FileDiff } from '../diff/parse.js'
import type { PullRequest } from '../domain/pull-request.js'
import type { CommentMode } from '../settings.js'
import type { Logger } from '../logger.js'
import type { Octokit } from './client.js'
import { fetchFileDiffs } from './diff-source.js'
import { type ReviewHistory, readReviewHistory } from './history.js'
import { changesSince } from './incremental.js'

/** What this run reviews: the changes since the last reviewed head, or all of them. */
export interface Scope {
  files: FileDiff[]
  /** Set for an incremental review. */
  since?: string
  /** Why a wanted incremental review became a full one. */
  fullReason?: string
}

/** Every changed file, what earlier runs posted (a pull request's), and what this run reviews of them. */
export interface Changes {
  files: FileDiff[]
  history?: ReviewHistory
  scope: Scope
}

/** Nothing new since the last review: why, and what earlier runs posted, which still judges the pull request. */
export interface NothingNew {
  nothingNew: string
  history: ReviewHistory
}

export interface ChangesOptions {
  /** Where earlier runs posted their reviews. */
  commentMode: CommentMode
  /** Only the changes since the last reviewed head, when there is one. */
  incremental: boolean
}

/** A pull request's files, what earlier runs posted, and the scope; or why there is nothing new to review. */
export async function readPullRequestChanges(
  octokit: Octokit,
  pullRequest: PullRequest,
  options: ChangesOptions,
  log: Logger
): Promise<Changes | NothingNew> {
  const [files, history] = await Promise.all([
    fetchFileDiffs(octokit, pullRequest, log),
    readReviewHistory(octokit, pullRequest, options.commentMode)
  ])
  const since = history.lastReviewedHead
  if (!options.incremental || since === undefined) return { files, history, scope: { files } }
  const increment = await changesSince(octokit, pullRequest, since, files)
  if (increment.kind === 'nothing-new')
    return {
      nothingNew: `Nothing new to review in pull request #${pullRequest.number}: its head ${pullRequest.headSha.slice(0, 7)} was reviewed already.`,
      history
    }
  if (increment.kind === 'full') {
    log.notice(`Reviewing the whole pull request: ${increment.reason}.`)
    return { files, history, scope: { files, fullReason: increment.reason } }
  }
  log.info(
    `Incremental review: ${increment.files.length} of the pull request's files changed since ${since.slice(0, 7)}.`
  )
  return { files, history, scope: { files: increment.files, since } }
}
