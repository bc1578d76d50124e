import { type FileDiff, type FileStatus, parseDiff } from '../diff/parse.js'
import { explaining, isRequestError, type Octokit } from './client.js'
import type { PullRequestRef } from '../domain/pull-request.js'
import type { Logger } from '../logger.js'

/** GitHub lists at most this many files of a pull request. */
const MAX_LISTED_FILES = 3000

interface ListedFile {
  filename: string
  previous_filename?: string
  status: string
  additions: number
  deletions: number
  changes: number
  patch?: string
}

function statusOf(file: ListedFile): FileStatus {
  if (file.status === 'added' || file.status === 'removed') return file.status === 'added' ? 'added' : 'deleted'
  return file.status === 'renamed' ? 'renamed' : 'modified'
}

/** Rebuilds a file's unified-diff section from the `patch` that `pulls.listFiles` gives. */
export function fileDiffFromListing(file: ListedFile): FileDiff {
  const status = statusOf(file)
  const oldPath = file.previous_filename ?? file.filename
  const header = [
    `diff --git a/${oldPath} b/${file.filename}`,
    ...(status === 'renamed' ? [`rename from ${oldPath}`, `rename to ${file.filename}`] : []),
    `--- ${status === 'added' ? '/dev/null' : `a/${oldPath}`}`,
    `+++ ${status === 'deleted' ? '/dev/null' : `b/${file.filename}`}`
  ]
  const hasPatch = file.patch !== undefined && file.patch !== ''
  return {
    path: file.filename,
    status,
    // GitHub gives no patch for binaries (no line changes) and for files too large to render.
    binary: !hasPatch && file.changes === 0 && status !== 'renamed',
    text: hasPatch ? [...header, file.patch].join('\n') : ''
  }
}

/**
 * The pull request's changes, file by file: the rendered diff when GitHub can
 * produce it, else (406 for a very large diff) the per-file patches.
 */
export async function fetchFileDiffs(octokit: Octokit, ref: PullRequestRef, log: Logger): Promise<FileDiff[]> {
  return explaining(`read the diff of pull request #${ref.number}`, async () => {
    const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.number }
    try {
      const response = await octokit.rest.pulls.get({ ...params, mediaType: { format: 'diff' } })
      return parseDiff(response.data as unknown as string)
    } catch (error) {
      if (!isRequestError(error) || error.status !== 406) throw error
      log.info(`GitHub will not render this diff (${error.message}); building it from the per-file patches.`)
    }
    const files: ListedFile[] = []
    for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...params, per_page: 100 })) {
      files.push(...page.data)
      if (files.length >= MAX_LISTED_FILES) break
    }
    return files.slice(0, MAX_LISTED_FILES).map(fileDiffFromListing)
  })
}
