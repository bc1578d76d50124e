import { createHash } from 'node:crypto'
import type { Finding } from './finding.js'

/**
 * The action's hidden markers in what it posts: the head a review covered and the findings it posted,
 * how later runs find them again, and how nothing the model writes can forge them.
 */

/** Hidden in every body the action posts: how its reviews and sticky comment are found again. */
export const MARKER = '<!-- opencode-pr-review -->'

export interface PostedFinding {
  key: string
  startLine: number
  endLine: number
}

/** Same file and the same title, whatever the wording's case and spacing. */
export function findingKey(finding: Pick<Finding, 'file' | 'title'>): string {
  const title = finding.title.toLowerCase().replace(/\s+/g, ' ').trim()
  return createHash('sha256').update(`${finding.file}\n${title}`).digest('hex').slice(0, 16)
}

export function headMarker(sha: string): string {
  return `<!-- opencode-pr-review:head ${sha} -->`
}

/** A finding as its marker records it: what (file and title) and where. */
export function postedOf(finding: Finding): PostedFinding {
  return { key: findingKey(finding), startLine: finding.startLine, endLine: finding.endLine }
}

export function findingMarker(finding: Finding): string {
  const { key, startLine, endLine } = postedOf(finding)
  return `<!-- opencode-pr-review:finding ${key} ${startLine}-${endLine} -->`
}

/** The findings whose markers a posted body holds. */
export function readPostedFindings(body: string): PostedFinding[] {
  return [...body.matchAll(/<!-- opencode-pr-review:finding ([0-9a-f]{16}) (\d+)-(\d+) -->/g)].map((match) => ({
    key: match[1],
    startLine: Number(match[2]),
    endLine: Number(match[3])
  }))
}

/** The head a body's marker names: the last one, which the action appends after all the model wrote. */
export function headIn(body: string): string | undefined {
  return [...body.matchAll(/<!-- opencode-pr-review:head ([0-9a-f]{40}) -->/g)].at(-1)?.[1]
}

/** Anything shaped like one of the action's hidden markers. */
const ANY_MARKER = /<!--\s*opencode-pr-review\b[\s\S]*?-->/gi

/**
 * `text` without marker-shaped comments. What the model writes (steered by the pull request) must not
 * forge them: a head marker would make a later run skip a push, a finding marker hide a finding.
 */
export function withoutMarkers(text: string): string {
  return text.replace(ANY_MARKER, '')
}

/** Whether the same finding is among `posted` on the same lines. */
export function alreadyPosted(finding: Finding, posted: readonly PostedFinding[]): boolean {
  const { key, startLine, endLine } = postedOf(finding)
  return posted.some((earlier) => earlier.key === key && earlier.startLine === startLine && earlier.endLine === endLine)
}
