import * as core from '@actions/core'
import type { OutputName } from '../defaults.js'
import { countBySeverity, highestSeverity } from '../domain/finding.js'
import type { Verdict } from '../domain/verdict.js'
import type { PullRequestRef } from '../domain/pull-request.js'
import type { ThreadAnswer } from '../answer.js'
import type { Saved } from '../github/learnings.js'
import type { PipelineOutcome } from '../pipeline.js'
import {
  renderConventions,
  renderLearnings,
  renderLeftOutFiles,
  renderStandingList,
  renderUnsureFindings,
  renderVerdict
} from '../github/render.js'
import { annotateStanding } from './annotations.js'

/** What the action hands to later steps and to the job's page: outputs, the job summary, and why the step fails. */

function setOutput(name: OutputName, value: string | number): void {
  core.setOutput(name, value)
}

/** Records each session as it starts in `session-id`, so a failed run still names them. */
export function sessionsOutput(): (sessionId: string) => void {
  const sessions: string[] = []
  return (sessionId) => {
    sessions.push(sessionId)
    setOutput('session-id', sessions.join(','))
  }
}

/** Why the verdict fails the step: each finding at or above `fail-on` that stands, with where it was posted. */
function blockingFailure(
  verdict: Verdict,
  pullRequest: PullRequestRef,
  postedAt: string | undefined
): string | undefined {
  if (verdict.state !== 'blocking') return undefined
  const named = verdict.blocking.map((finding) => {
    const where = finding.url ?? postedAt
    return `${finding.severity} in ${finding.file}:${finding.startLine}: ${finding.title}${where ? ` (${where})` : ''}`
  })
  return `${verdict.blocking.length} finding(s) at or above '${verdict.failOn}' ('fail-on') stand on pull request #${pullRequest.number}: ${named.join('; ')}`
}

/** The verdict's outputs and annotations; returns why the step fails, if it does. */
function reportVerdict(
  verdict: Verdict,
  pullRequest: PullRequestRef,
  postedAt: string | undefined
): string | undefined {
  setOutput('standing', JSON.stringify(countBySeverity(verdict.standing)))
  setOutput('verdict', verdict.state)
  annotateStanding(verdict, postedAt)
  return blockingFailure(verdict, pullRequest, postedAt)
}

/** Sets the outputs and writes the job summary; returns why the step fails, if it does. */
export async function reportReview(
  outcome: Extract<PipelineOutcome, { kind: 'reviewed' }>
): Promise<string | undefined> {
  const { delivery, published, pullRequest, review } = outcome
  const { found } = delivery.triage
  setOutput('review', delivery.markdown)
  setOutput('comment-id', published?.id ?? '')
  setOutput('comment-url', published?.url ?? '')
  setOutput('findings', JSON.stringify(countBySeverity(found)))
  setOutput('max-severity', highestSeverity(found) ?? '')
  const verdictFailure = reportVerdict(delivery.verdict, pullRequest, published?.url)
  if (process.env.GITHUB_STEP_SUMMARY) {
    const sections = [
      delivery.markdown,
      renderStandingList(delivery.verdict, published?.url),
      delivery.content.footer,
      renderUnsureFindings(delivery.unsure),
      renderLeftOutFiles(outcome.diff.leftOut),
      renderConventions(outcome.conventions),
      renderLearnings(outcome.learnings.applied, outcome.learnings.issue)
    ]
    await core.summary
      .addHeading(`Review of #${pullRequest.number}: ${pullRequest.title}`, 2)
      .addRaw(`${sections.filter(Boolean).join('\n\n')}\n`)
      .write()
  }
  const failures = [
    ...review.unreviewed.map(({ files, reason }) => `${files.length} file(s) were not reviewed (${reason}).`),
    verdictFailure ?? []
  ].flat()
  return failures.length ? failures.join(' ') : undefined
}

/** With nothing new to review, the verdict the earlier findings give: outputs, annotations, job summary; returns why the step fails, if it does. */
export async function reportStanding(
  verdict: Verdict,
  pullRequest: PullRequestRef,
  reason: string
): Promise<string | undefined> {
  const failure = reportVerdict(verdict, pullRequest, undefined)
  if (process.env.GITHUB_STEP_SUMMARY) {
    const sections = [renderVerdict(verdict) || 'No finding stands.', `_${reason}_`, renderStandingList(verdict)]
    await core.summary
      .addHeading(`Verdict on #${pullRequest.number}`, 2)
      .addRaw(`${sections.filter(Boolean).join('\n\n')}\n`)
      .write()
  }
  return failure
}

/** The outputs and job summary of an answer in a finding's thread: `review` holds the answer, the comment outputs the reply. */
export async function reportAnswer(answer: ThreadAnswer): Promise<void> {
  setOutput('review', answer.markdown)
  setOutput('comment-id', answer.reply.id)
  setOutput('comment-url', answer.reply.url)
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addHeading(`Answer on #${answer.pullRequest.number}: ${answer.pullRequest.title}`, 2)
      .addRaw(`${answer.markdown}\n\n${answer.footer}\n\n[The thread](${answer.reply.url})\n`)
      .write()
  }
}

/** The outputs and job summary of `/review learn`: `review` holds what was learned, the comment outputs the learnings issue. */
export async function reportLearned({ added, store }: Saved): Promise<void> {
  const learned = added.join('\n')
  setOutput('review', learned)
  setOutput('comment-id', '')
  setOutput('comment-url', store.issue?.url ?? '')
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addHeading('Learned', 2)
      .addRaw(
        `${learned}\n\nKept in [issue #${store.issue?.number}](${store.issue?.url}), where it can be edited or deleted.\n`
      )
      .write()
  }
}
