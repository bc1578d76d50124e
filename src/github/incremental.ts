import type { FileDiff } from '../diff/parse.js'
import { fileDiffFromListing } from './diff-source.js'
import { explaining, isRequestError, type Octokit } from './client.js'
import type { PullRequest } from '../domain/pull-request.js'

/** GitHub's compare API lists at most this many files; more may have changed. */
const MAX_COMPARED_FILES = 300

/** What changed since the last reviewed head: new changes, nothing, or why the whole pull request is reviewed instead. */
export type Increment =
  { kind: 'changes'; files: FileDiff[] } | { kind: 'nothing-new' } | { kind: 'full'; reason: string }

/**
 * The changes from `since` to the pull request's head, limited to files the
 * pull request itself changes (a merge of the base branch brings others).
 */
export async function changesSince(
  octokit: Octokit,
  pullRequest: PullRequest,
  since: string,
  pullRequestFiles: readonly FileDiff[]
): Promise<Increment> {
  return explaining(`compare ${since.slice(0, 7)} with the head of pull request #${pullRequest.number}`, async () => {
    if (since === pullRequest.headSha) return { kind: 'nothing-new' }
    let comparison
    try {
      comparison = await octokit.rest.repos.compareCommitsWithBasehead({
        owner: pullRequest.owner,
        repo: pullRequest.repo,
        basehead: `${since}...${pullRequest.headSha}`,
        per_page: 1
      })
    } catch (error) {
      if (isRequestError(error) && error.status === 404) {
        return {
          kind: 'full',
          reason: `the last reviewed commit ${since.slice(0, 7)} no longer exists (the branch was force-pushed)`
        }
      }
      throw error
    }
    const { status, files = [] } = comparison.data
    if (status === 'identical') return { kind: 'nothing-new' }
    if (status !== 'ahead') {
      return {
        kind: 'full',
        reason: `the head is no longer a descendant of the last reviewed commit ${since.slice(0, 7)} (the branch was rebased or force-pushed)`
      }
    }
    if (files.length >= MAX_COMPARED_FILES)
      return { kind: 'full', reason: `${files.length} or more files changed since the last review` }
    const inPullRequest = new Set(pullRequestFiles.map((file) => file.path))
    return { kind: 'changes', files: files.map(fileDiffFromListing).filter((file) => inPullRequest.has(file.path)) }
  })
}
