import * as core from '@actions/core'
import type { StandingFinding, Verdict } from '../domain/verdict.js'
import { lineSpan } from '../domain/finding.js'

/**
 * Standing findings as annotations on their lines, in the checks view and on the Files tab: errors for those
 * that block, warnings for the others. GitHub shows at most 10 errors and 10 warnings per step (and 50
 * annotations per job): one error is kept for the step's own failure and two warnings for the run's own.
 */

const PER_STEP = 10
const ERRORS_SHOWN = PER_STEP - 1
const WARNINGS_SHOWN = PER_STEP - 2

function annotate(finding: StandingFinding, level: 'error' | 'warning', postedAt: string | undefined): void {
  const where = finding.url ?? postedAt
  const message = `${finding.severity}: ${finding.title}${where ? ` (${where})` : ''}`
  const properties = {
    title: `OpenCode review: ${finding.severity}`,
    file: finding.file,
    startLine: finding.startLine,
    endLine: finding.endLine
  }
  if (level === 'error') core.error(message, properties)
  else core.warning(message, properties)
}

/** Annotates the standing findings, most severe first, and logs those past GitHub's limits. */
export function annotateStanding(verdict: Verdict, postedAt: string | undefined): void {
  const blocking = new Set(verdict.blocking)
  const errors = verdict.standing.filter((finding) => blocking.has(finding))
  const warnings = verdict.standing.filter((finding) => !blocking.has(finding))
  for (const finding of errors.slice(0, ERRORS_SHOWN)) annotate(finding, 'error', postedAt)
  for (const finding of warnings.slice(0, WARNINGS_SHOWN)) annotate(finding, 'warning', postedAt)
  const leftOut = [...errors.slice(ERRORS_SHOWN), ...warnings.slice(WARNINGS_SHOWN)]
  if (leftOut.length === 0) return
  core.info(
    `${leftOut.length} standing finding(s) are not annotated: GitHub shows ${PER_STEP} errors and ${PER_STEP} warnings per step. Left out:`
  )
  for (const finding of leftOut)
    core.info(`  ${finding.severity} ${finding.file}:${lineSpan(finding.startLine, finding.endLine)}: ${finding.title}`)
}
