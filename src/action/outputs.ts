import * as core from '@actions/core'
import type { OutputName } from '../defaults.js'
import { atLeast, countBySeverity, type Finding, highestSeverity, type Severity } from '../domain/finding.js'
import type { ThreadAnswer } from '../answer.js'
import type { Saved } from '../github/learnings.js'
import type { PipelineOutcome } from '../pipeline.js'
import { renderConventions, renderLearnings, renderLeftOutFiles, renderUnsureFindings } from '../github/render.js'

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

/** The `fail-on` verdict on this run's findings (repeats count: the problem is still there). */
function failOnVerdict(found: readonly Finding[], failOn: Severity | undefined): string | undefined {
  if (!failOn) return undefined
  const blocking = atLeast(found, failOn)
  if (blocking.length === 0) return undefined
  const named = blocking.map(
    (finding) => `${finding.severity} in ${finding.file}:${finding.startLine}: ${finding.title}`
  )
  return `The review found ${blocking.length} finding(s) at or above '${failOn}' ('fail-on'): ${named.join('; ')}`
}

/** Sets the outputs and writes the job summary; returns why the step fails, if it does. */
export async function reportReview(
  outcome: Extract<PipelineOutcome, { kind: 'reviewed' }>,
  failOn: Severity | undefined
): Promise<string | undefined> {
  const { delivery, published, pullRequest, review } = outcome
  const { found } = delivery.triage
  setOutput('review', delivery.markdown)
  setOutput('comment-id', published?.id ?? '')
  setOutput('comment-url', published?.url ?? '')
  setOutput('findings', JSON.stringify(countBySeverity(found)))
  setOutput('max-severity', highestSeverity(found) ?? '')
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addHeading(`Review of #${pullRequest.number}: ${pullRequest.title}`, 2)
      .addRaw(
        `${delivery.markdown}\n\n${delivery.content.footer}\n\n${renderUnsureFindings(delivery.unsure)}\n\n${renderLeftOutFiles(outcome.diff.leftOut)}\n\n${renderConventions(outcome.conventions)}\n\n${renderLearnings(outcome.learnings.applied, outcome.learnings.issue)}\n`
      )
      .write()
  }
  const failures = [
    ...review.unreviewed.map(({ files, reason }) => `${files.length} file(s) were not reviewed (${reason}).`),
    failOnVerdict(found, failOn) ?? []
  ].flat()
  return failures.length ? failures.join(' ') : undefined
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
