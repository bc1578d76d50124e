import { errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import type { PullRequest } from '../domain/pull-request.js'
import type { Verdict } from '../domain/verdict.js'
import { isRequestError, type Octokit } from './client.js'
import { renderStandingList, renderVerdict, verdictHeadline } from './render.js'

/**
 * The verdict as a check run of its own on the pull request's head: where branch protection sees it
 * whatever ran the review (a `/review` comment's or a dispatch's job does not run on the head), with every
 * standing finding as an annotation on its lines. It needs `checks: write`; without it, one line says so.
 */

export const CHECK_RUN_NAME = 'OpenCode review'

/** GitHub takes at most 50 annotations per request: more go in updates of the same check run. */
const ANNOTATIONS_PER_REQUEST = 50
/** GitHub's limit on a check run's summary. */
const MAX_SUMMARY_CHARS = 65_535

/** `failure` while something blocks, `success` once nothing does, `neutral` without `fail-on`. */
function conclusionOf(verdict: Verdict): 'failure' | 'success' | 'neutral' {
  if (verdict.state === 'blocking') return 'failure'
  return verdict.failOn ? 'success' : 'neutral'
}

/** Posts the check run: the verdict as its title, with every standing finding and its link (`postedAt` for this run's) as its summary. */
export async function postCheckRun(
  octokit: Octokit,
  pullRequest: PullRequest,
  verdict: Verdict,
  postedAt: string | undefined,
  log: Logger
): Promise<void> {
  const title = verdictHeadline(verdict) || 'No finding stands.'
  const summary = [renderVerdict(verdict), renderStandingList(verdict, postedAt)].filter(Boolean).join('\n\n') || title
  const blocking = new Set(verdict.blocking)
  const annotations = verdict.standing.map((finding) => ({
    path: finding.file,
    start_line: finding.startLine,
    end_line: finding.endLine,
    annotation_level: blocking.has(finding) ? ('failure' as const) : ('warning' as const),
    title: `${finding.severity}: ${finding.title}`,
    message: `Stands since it was posted: ${finding.url ?? postedAt ?? 'in this run of the review'}`
  }))
  const repo = { owner: pullRequest.owner, repo: pullRequest.repo }
  const outputOf = (batch: number) => ({
    title,
    summary: summary.slice(0, MAX_SUMMARY_CHARS),
    annotations: annotations.slice(batch * ANNOTATIONS_PER_REQUEST, (batch + 1) * ANNOTATIONS_PER_REQUEST)
  })
  try {
    const { data } = await octokit.rest.checks.create({
      ...repo,
      name: CHECK_RUN_NAME,
      head_sha: pullRequest.headSha,
      status: 'completed',
      conclusion: conclusionOf(verdict),
      output: outputOf(0)
    })
    for (let batch = 1; batch * ANNOTATIONS_PER_REQUEST < annotations.length; batch++)
      await octokit.rest.checks.update({ ...repo, check_run_id: data.id, output: outputOf(batch) })
    log.info(`Posted the check run '${CHECK_RUN_NAME}' (${conclusionOf(verdict)}): ${data.html_url}`)
  } catch (error) {
    if (isRequestError(error) && error.status === 403)
      return log.info(
        `No check run '${CHECK_RUN_NAME}': this token may not create one. Grant \`checks: write\` in the job's \`permissions:\` to get it, or set \`check-run: false\`.`
      )
    log.warning(`Could not post the check run '${CHECK_RUN_NAME}': ${errorMessage(error)}`)
  }
}
