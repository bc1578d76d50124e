import type { BaseFiles } from '../conventions/read.js'
import type { Logger } from '../logger.js'
import { explaining, isRequestError, type Octokit } from './client.js'
import type { PullRequest } from '../domain/pull-request.js'

/**
 * The pull request's base commit through GitHub's API: one recursive tree to
 * list its files, the contents API to read one. Never the pull request's own
 * versions, which its author controls.
 */

const baseCommit = ({ baseRef, baseSha }: PullRequest) => `${baseRef} (${baseSha.slice(0, 7)})`

/** The text of `path` at the pull request's base commit; undefined when there is no such file. */
export function readAtBase(octokit: Octokit, pullRequest: PullRequest, path: string): Promise<string | undefined> {
  const { owner, repo, baseSha } = pullRequest
  return explaining(`read ${path} of ${baseCommit(pullRequest)}`, async () => {
    try {
      const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref: baseSha })
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined
      // Over 1 MB the contents API sends no content: far past what a prompt holds anyway.
      if (data.encoding !== 'base64') throw new Error(`${path} is too large to read (${data.size} bytes).`)
      return Buffer.from(data.content, 'base64').toString('utf8')
    } catch (error) {
      if (isRequestError(error) && error.status === 404) return undefined
      throw error
    }
  })
}

export function baseFilesOnGitHub(octokit: Octokit, pullRequest: PullRequest, log: Logger): BaseFiles {
  const { owner, repo, baseSha } = pullRequest
  const at = baseCommit(pullRequest)
  return {
    label: `the base branch ${at}`,
    list: () =>
      explaining(`list the files of ${at}`, async () => {
        const { data } = await octokit.rest.git.getTree({ owner, repo, tree_sha: baseSha, recursive: '1' })
        // Past GitHub's limit on one listing the rest are missing: said, and what was listed still serves.
        if (data.truncated)
          log.warning(
            `GitHub listed only the first ${data.tree.length.toLocaleString('en-US')} entries of ${at}: convention files past them are not used.`
          )
        return data.tree.flatMap((entry) => (entry.type === 'blob' && entry.path ? [entry.path] : []))
      }),
    read: (path) => readAtBase(octokit, pullRequest, path)
  }
}
