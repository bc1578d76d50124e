import { CODE_GONE, fingerprintCode } from '../domain/markers.js'
import type { Finding } from '../domain/finding.js'
import { errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import type { PullRequest } from '../domain/pull-request.js'
import type { ReviewContent } from './publish.js'
import { codeOn, commentableLines } from '../diff/lines.js'
import type { FileDiff } from '../diff/parse.js'
import { isRequestError, type Octokit } from './client.js'

/**
 * The pull request's head as GitHub holds it, file by file: the code a finding is posted on, fingerprinted
 * in its marker, and where a later run looks for it again. The checkout may hold another commit (a merge).
 */

/** A file of the head: its lines, absent, or not read (why). */
export type HeadFile = { kind: 'lines'; lines: string[] } | { kind: 'absent' } | { kind: 'unreadable'; reason: string }

export type ReadHeadFile = (path: string) => Promise<HeadFile>

/** Reads files of the head once each per run, raw (up to GitHub's 100 MB, where JSON stops at 1 MB). */
export function headFilesOnGitHub(octokit: Octokit, pullRequest: PullRequest): ReadHeadFile {
  const read = new Map<string, Promise<HeadFile>>()
  const fetchFile = async (path: string): Promise<HeadFile> => {
    try {
      const { data } = await octokit.rest.repos.getContent({
        owner: pullRequest.owner,
        repo: pullRequest.repo,
        path,
        ref: pullRequest.headSha,
        mediaType: { format: 'raw' }
      })
      // Text, or bytes when GitHub names no charset; a folder answers with its listing.
      const raw: unknown = data
      if (raw instanceof ArrayBuffer) return { kind: 'lines', lines: Buffer.from(raw).toString('utf8').split('\n') }
      if (typeof raw !== 'string') return { kind: 'unreadable', reason: `${path} is not a file` }
      return { kind: 'lines', lines: raw.split('\n') }
    } catch (error) {
      if (isRequestError(error) && error.status === 404) return { kind: 'absent' }
      return { kind: 'unreadable', reason: errorMessage(error) }
    }
  }
  return (path) => {
    let file = read.get(path)
    if (!file) read.set(path, (file = fetchFile(path)))
    return file
  }
}

/**
 * The review's findings with the fingerprint of the code on their lines, recorded in their markers: a later
 * run finds the code again or knows it changed, and a learning that rejects one names it. The diff shows
 * the lines of those on its hunks; the others' are read from the head. Lines the head lacks are CODE_GONE;
 * a file that could not be read leaves its findings without a fingerprint, said once.
 */
export async function withCodeFingerprints(
  content: ReviewContent,
  pullRequestFiles: readonly FileDiff[],
  readHead: ReadHeadFile,
  log: Logger
): Promise<ReviewContent> {
  const hunks = commentableLines(pullRequestFiles)
  const unread = new Set<string>()
  const fingerprinted = async (finding: Finding): Promise<Finding> => {
    if (finding.codeFingerprint !== undefined) return finding
    const shown = codeOn(finding, hunks.get(finding.file) ?? [])
    if (shown) return { ...finding, codeFingerprint: fingerprintCode(shown) }
    const file = await readHead(finding.file)
    if (file.kind === 'unreadable') {
      if (!unread.has(finding.file))
        log.warning(
          `Could not read ${finding.file} of the head (${file.reason}): its findings stand until someone with write access waives them.`
        )
      unread.add(finding.file)
      return finding
    }
    const lines = file.kind === 'lines' ? file.lines.slice(finding.startLine - 1, finding.endLine) : []
    const whole = lines.length === finding.endLine - finding.startLine + 1
    return { ...finding, codeFingerprint: whole ? fingerprintCode(lines) : CODE_GONE }
  }
  const [inline, listed] = await Promise.all([
    Promise.all(content.inline.map(async (placed) => ({ ...placed, finding: await fingerprinted(placed.finding) }))),
    Promise.all(content.listed.map(fingerprinted))
  ])
  return { ...content, inline, listed }
}
