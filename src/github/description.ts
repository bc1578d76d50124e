import { errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import { MAX_BODY_CHARS, renderWalkthrough } from './render.js'
import { carryOver, onlyFiles, parseWalkthrough, type WalkthroughRow } from '../domain/walkthrough.js'
import { explaining, type Octokit } from './client.js'
import type { PullRequest } from '../domain/pull-request.js'

/**
 * The walkthrough in the pull request's description (`describe`): a section between hidden markers, replaced on
 * every run; the author's text outside them is never touched.
 */

export const WALKTHROUGH_START = '<!-- opencode-pr-review:walkthrough:start -->'
export const WALKTHROUGH_END = '<!-- opencode-pr-review:walkthrough:end -->'
/** The section's rows as data, for the next incremental run: base64, so no text of theirs can end the comment. */
const ROWS_MARKER = /<!-- opencode-pr-review:walkthrough:rows ([A-Za-z0-9+/=]*) -->/

function rowsMarker(rows: readonly WalkthroughRow[]): string {
  return `<!-- opencode-pr-review:walkthrough:rows ${Buffer.from(JSON.stringify(rows), 'utf8').toString('base64')} -->`
}

/** Where the last complete section is: its start marker up to the end of its end marker. */
function lastSection(body: string): { from: number; to: number } | undefined {
  const end = body.lastIndexOf(WALKTHROUGH_END)
  const start = end < 0 ? -1 : body.lastIndexOf(WALKTHROUGH_START, end)
  return start < 0 ? undefined : { from: start, to: end + WALKTHROUGH_END.length }
}

/** The rows an earlier run left in the section, validated as the model's are: the author may have edited them. */
export function describedRows(body: string): WalkthroughRow[] {
  const at = lastSection(body)
  const data = at && ROWS_MARKER.exec(body.slice(at.from, at.to))?.[1]
  if (!data) return []
  try {
    return parseWalkthrough(JSON.parse(Buffer.from(data, 'base64').toString('utf8')))
  } catch {
    return []
  }
}

function section(rows: readonly WalkthroughRow[]): string {
  return [
    WALKTHROUGH_START,
    '### Walkthrough',
    '',
    renderWalkthrough(rows),
    '',
    '<sub>Written by OpenCode PR Review on every review: what is between its hidden markers is replaced.</sub>',
    rowsMarker(rows),
    WALKTHROUGH_END
  ].join('\n')
}

export interface DescribeOptions {
  /** An incremental review: the earlier section's rows stay for the files the new rows do not describe. */
  incremental: boolean
  /** Every file of the pull request: rows carried over name no other. */
  pullRequestFiles: readonly string[]
}

/** The description with the walkthrough: the last section replaced, or one appended after a blank line. */
export function describedBody(body: string, rows: readonly WalkthroughRow[], options: DescribeOptions): string {
  const earlier = options.incremental ? onlyFiles(describedRows(body), options.pullRequestFiles) : []
  const written = section(carryOver(earlier, rows))
  const at = lastSection(body)
  if (at) return body.slice(0, at.from) + written + body.slice(at.to)
  const gap = body === '' || /\r?\n\r?\n$/.test(body) ? '' : /\r?\n$/.test(body) ? '\n' : '\n\n'
  return body + gap + written
}

/**
 * Writes the walkthrough into the pull request's description, read again just before (the author may have edited
 * it meanwhile). The review is posted already: a refusal, such as a fork's read-only token, is only a warning.
 */
export async function describeWalkthrough(
  octokit: Octokit,
  pullRequest: PullRequest,
  rows: readonly WalkthroughRow[],
  options: DescribeOptions,
  log: Logger
): Promise<void> {
  if (rows.length === 0) {
    log.info("The model wrote no walkthrough: the pull request's description is left as it was.")
    return
  }
  const where = { owner: pullRequest.owner, repo: pullRequest.repo, pull_number: pullRequest.number }
  try {
    await explaining(`write the walkthrough into the description of pull request #${pullRequest.number}`, async () => {
      const { data } = await octokit.rest.pulls.get(where)
      const body = data.body ?? ''
      const next = describedBody(body, rows, options)
      if (next === body) return log.info('The walkthrough in the description is up to date.')
      if (next.length > MAX_BODY_CHARS)
        return log.warning(
          `The description with the walkthrough would have ${next.length.toLocaleString('en-US')} characters, more than GitHub takes: it is left as it was.`
        )
      await octokit.rest.pulls.update({ ...where, body: next })
      log.info("Wrote the walkthrough into the pull request's description.")
    })
  } catch (error) {
    log.warning(
      `${errorMessage(error)} The review is posted; only the walkthrough in the description is missing. Writing the description needs a token with \`pull-requests: write\` (a fork's \`pull_request\` token is read-only).`
    )
  }
}
