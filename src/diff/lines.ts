import type { FileDiff } from './parse.js'
import type { Finding } from '../review/findings.js'

/** Lines `start..end` of a file's new version that one hunk shows (added and context lines). */
export interface LineRange {
  start: number
  end: number
}

/** Where a review comment can sit: GitHub accepts lines of one hunk on the RIGHT side, and rejects anything else with 422. */
export interface Anchor {
  path: string
  line: number
  /** Only for a range of more than one line. */
  startLine?: number
}

/** The new-side line ranges of a file's hunks, from their `@@ -a,b +c,d @@` headers. */
export function newSideRanges(file: FileDiff): LineRange[] {
  if (file.status === 'deleted') return []
  const ranges: LineRange[] = []
  for (const match of file.text.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(match[1])
    const count = match[2] === undefined ? 1 : Number(match[2])
    if (count > 0) ranges.push({ start, end: start + count - 1 })
  }
  return ranges
}

/** Maps every file of the pull request's diff to its commentable ranges. */
export function commentableLines(files: readonly FileDiff[]): Map<string, LineRange[]> {
  return new Map(files.map((file) => [file.path, newSideRanges(file)]))
}

/**
 * The anchor of a finding whose whole range lies in one hunk; undefined when
 * any of its lines is outside the diff, so it is never posted at a wrong line.
 */
export function anchorFor(finding: Finding, lines: ReadonlyMap<string, readonly LineRange[]>): Anchor | undefined {
  const hunk = lines
    .get(finding.file)
    ?.find((range) => range.start <= finding.startLine && finding.endLine <= range.end)
  if (!hunk) return undefined
  return finding.startLine === finding.endLine
    ? { path: finding.file, line: finding.endLine }
    : { path: finding.file, line: finding.endLine, startLine: finding.startLine }
}
