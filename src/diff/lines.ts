import type { FileDiff } from './parse.js'
import type { Finding } from '../domain/finding.js'

/** Lines `start..end` of a file's new version that one hunk shows (added and context lines). */
export interface LineRange {
  start: number
  end: number
}

/** A hunk's new side: its lines and their text, `content[0]` being line `start`. */
export interface Hunk extends LineRange {
  content: string[]
}

/** Where a review comment can sit: GitHub accepts lines of one hunk on the RIGHT side, and rejects anything else with 422. */
export interface Anchor {
  path: string
  line: number
  /** Only for a range of more than one line. */
  startLine?: number
}

/** How far from the line the model gave its quoted line is looked for: models miscount a few lines in a hunk. */
export const QUOTE_SEARCH_LINES = 5

/** The new side of a file's hunks: ranges from their `@@ -a,b +c,d @@` headers, text from their `+` and context lines. */
export function newSideHunks(file: FileDiff): Hunk[] {
  if (file.status === 'deleted') return []
  const hunks: Hunk[] = []
  let hunk: Hunk | undefined
  for (const line of file.text.split('\n')) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line)
    if (header) {
      const start = Number(header[1])
      const count = header[2] === undefined ? 1 : Number(header[2])
      hunk = count > 0 ? { start, end: start + count - 1, content: [] } : undefined
      if (hunk) hunks.push(hunk)
    } else if (hunk && hunk.content.length <= hunk.end - hunk.start && /^[+ ]|^$/.test(line)) {
      // An empty line is a blank context line whose space was stripped on the way.
      hunk.content.push(line.slice(1))
    }
  }
  return hunks
}

/** Maps every file of the pull request's diff to its commentable hunks. */
export function commentableLines(files: readonly FileDiff[]): Map<string, Hunk[]> {
  return new Map(files.map((file) => [file.path, newSideHunks(file)]))
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

/** The code on the finding's lines, when one hunk shows them all (the head's lines there); else undefined. */
export function codeOn(finding: Pick<Finding, 'startLine' | 'endLine'>, hunks: readonly Hunk[]): string[] | undefined {
  const hunk = hunks.find((range) => range.start <= finding.startLine && finding.endLine <= range.end)
  return hunk?.content.slice(finding.startLine - hunk.start, finding.endLine - hunk.start + 1)
}

/** The line nearest `near`, at most QUOTE_SEARCH_LINES away, whose text is `quote` (spacing around it aside). */
function quotedLine(quote: string, near: number, hunks: readonly Hunk[]): number | undefined {
  const matches = hunks.flatMap((hunk) =>
    hunk.content.flatMap((text, index) => (text.trim() === quote.trim() ? [hunk.start + index] : []))
  )
  const distance = (line: number) => Math.abs(line - near)
  return matches
    .filter((line) => distance(line) <= QUOTE_SEARCH_LINES)
    .sort((a, b) => distance(a) - distance(b) || a - b)[0]
}

export interface Placement {
  /** The finding, moved onto the line it quotes when its numbers were off. */
  finding: Finding
  /** Undefined: it goes in the review's body. */
  anchor?: Anchor
}

/** A finding that sits on lines of the diff: a review comment there. */
export interface InlineFinding {
  finding: Finding
  anchor: Anchor
}

/**
 * Where a finding goes. One that quotes its first line is moved onto the
 * nearest line reading so (its span kept), or, when none is near, left in the
 * body on the lines it gave; one without a quote is taken at its word.
 */
export function placeFinding(finding: Finding, lines: ReadonlyMap<string, readonly Hunk[]>): Placement {
  if (finding.quote === undefined) return { finding, anchor: anchorFor(finding, lines) }
  const line = quotedLine(finding.quote, finding.startLine, lines.get(finding.file) ?? [])
  if (line === undefined) return { finding }
  const moved = { ...finding, startLine: line, endLine: line + finding.endLine - finding.startLine }
  return { finding: moved, anchor: anchorFor(moved, lines) }
}
