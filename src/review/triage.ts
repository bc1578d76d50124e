import { commentableLines, type InlineFinding, placeFinding } from '../diff/lines.js'
import type { FileDiff } from '../diff/parse.js'
import { atLeast, type Finding, type Severity } from '../domain/finding.js'
import { alreadyPosted, findingKey, type PostedFinding } from '../domain/markers.js'

export interface Triage {
  /** Findings at or above the minimum severity, repeats included, the waived left out: what this run's verdict counts. */
  found: Finding[]
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
  /** The keys (file and title) of the findings people with write access waived. */
  waivedKeys: readonly string[]
}

/**
 * Decides where each finding goes: dropped below `minSeverity`, moved onto the
 * line it quotes, set aside as waived, skipped as a repeat, left out past
 * `maxFindings`, on its lines, or in the body.
 */
export function triage(findings: readonly Finding[], options: TriageOptions): Triage {
  const lines = commentableLines(options.pullRequestFiles)
  // Most severe first: the cap keeps those.
  const placed = atLeast(findings, options.minSeverity).map((finding) => placeFinding(finding, lines))
  const waived = new Set(options.waivedKeys)
  const result: Triage = { found: [], inline: [], listed: [], repeats: [], omitted: [], waived: [] }
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
