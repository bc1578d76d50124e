import { anchorFor, type LineRange } from '../diff/lines.js'
import { atLeast, type Finding, type Severity } from './findings.js'
import type { InlineFinding } from '../github/publish.js'
import { alreadyPosted, type PostedFinding } from '../github/history.js'

export interface Triage {
  /** Findings at or above the minimum severity, repeats included: what the step's result is judged on. */
  found: Finding[]
  /** New findings that sit on lines of the diff. */
  inline: InlineFinding[]
  /** New findings for the body: off the diff's lines, or all of them without inline comments. */
  listed: Finding[]
  /** Findings an earlier run already posted on the same lines. */
  repeats: Finding[]
}

export interface TriageOptions {
  minSeverity: Severity
  inlineComments: boolean
  /** The commentable new-side lines of every file of the pull request. */
  lines: ReadonlyMap<string, readonly LineRange[]>
  posted: readonly PostedFinding[]
}

/** Decides where each finding goes: dropped below `minSeverity`, skipped as a repeat, on its lines, or in the body. */
export function triage(findings: readonly Finding[], options: TriageOptions): Triage {
  const found = atLeast(findings, options.minSeverity)
  const result: Triage = { found, inline: [], listed: [], repeats: [] }
  for (const finding of found) {
    if (alreadyPosted(finding, options.posted)) {
      result.repeats.push(finding)
      continue
    }
    const anchor = options.inlineComments ? anchorFor(finding, options.lines) : undefined
    if (anchor) result.inline.push({ finding, anchor })
    else result.listed.push(finding)
  }
  return result
}
