import { codeOn, commentableLines, type InlineFinding, placeFinding } from '../diff/lines.js'
import type { FileDiff } from '../diff/parse.js'
import { atLeast, type Finding, type Severity } from '../domain/finding.js'
import { type Learning, rejectionOf } from '../domain/learnings.js'
import { alreadyPosted, findingKey, fingerprintCode, type PostedFinding } from '../domain/markers.js'

export interface Triage {
  /** Findings at or above the minimum severity, repeats included, the waived left out: what this run's verdict counts. */
  found: Finding[]
  /** Findings a maintainer rejected, on the same code (a learning says so): neither posted nor found. */
  rejected: Finding[]
  /** New findings that sit on lines of the diff. */
  inline: InlineFinding[]
  /** New findings for the body: off the diff's lines, or all of them without inline comments. */
  listed: Finding[]
  /** Findings an earlier run already posted on the same lines. */
  repeats: Finding[]
  /** New findings past `maxFindings`, the least severe: counted, not posted. */
  omitted: Finding[]
  /** Findings a person with write access waived on an earlier thread (same file and title): neither posted nor counted. */
  waived: Finding[]
}

export interface TriageOptions {
  minSeverity: Severity
  inlineComments: boolean
  /** How many new findings are posted at most. */
  maxFindings: number
  /** Every file of the pull request: where comments can sit. */
  pullRequestFiles: readonly FileDiff[]
  posted: readonly PostedFinding[]
  /** The repository's learnings: a finding one rejects is not posted again while its code stands. */
  learnings?: readonly Learning[]
  /** The keys (file and title) of the findings people with write access waived on this pull request's threads. */
  waivedKeys?: readonly string[]
}

/**
 * Decides where each finding goes: dropped below `minSeverity`, moved onto the
 * line it quotes, dropped when a maintainer rejected it on the same code, set
 * aside as waived, skipped as a repeat, left out past `maxFindings`, on its
 * lines, or in the body.
 */
export function triage(findings: readonly Finding[], options: TriageOptions): Triage {
  const lines = commentableLines(options.pullRequestFiles)
  // Most severe first: the cap keeps those.
  const rejected = (finding: Finding) => {
    const code = codeOn(finding, lines.get(finding.file) ?? [])
    const codeFingerprint = finding.codeFingerprint ?? (code && fingerprintCode(code))
    return rejectionOf({ ...finding, codeFingerprint }, options.learnings ?? []) !== undefined
  }
  const waived = new Set(options.waivedKeys)
  const sorted = atLeast(findings, options.minSeverity).map((finding) => placeFinding(finding, lines))
  const placed = sorted.filter(({ finding }) => !rejected(finding))
  const result: Triage = {
    found: [],
    rejected: sorted.filter((placement) => !placed.includes(placement)).map(({ finding }) => finding),
    inline: [],
    listed: [],
    repeats: [],
    omitted: [],
    waived: []
  }
  for (const { finding, anchor } of placed) {
    if (waived.has(findingKey(finding))) {
      result.waived.push(finding)
      continue
    }
    result.found.push(finding)
    if (alreadyPosted(finding, options.posted)) result.repeats.push(finding)
    else if (result.inline.length + result.listed.length >= options.maxFindings) result.omitted.push(finding)
    else if (anchor && options.inlineComments) result.inline.push({ finding, anchor })
    else result.listed.push(finding)
  }
  return result
}
