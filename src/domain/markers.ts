import { createHash } from 'node:crypto'
import { type Finding, isSeverity, type Severity } from './finding.js'

/**
 * The action's hidden markers in what it posts: the head a review covered, the findings it posted and
 * those that stood then, how later runs find them again, and how nothing the model writes can forge them.
 */

/** Hidden in every body the action posts: how its reviews and sticky comment are found again. */
export const MARKER = '<!-- opencode-pr-review -->'

/** A finding's code fingerprint when the head had no such lines (a deleted file): it stands while they stay absent. */
export const CODE_GONE = 'gone'

/** A finding as its marker records it. */
export interface PostedFinding {
  /** What it is: its file and title (findingKey). */
  key: string
  /** Where it was posted. */
  startLine: number
  endLine: number
  /** The rest is recorded since findings stand until fixed or waived; older markers hold only the above. */
  severity?: Severity
  file?: string
  title?: string
  /** The code on its lines in the head it was posted on (fingerprintCode), CODE_GONE, or undefined when not known. */
  codeFingerprint?: string
}

/** A finding whose marker records it whole: what this release posts. */
export type RecordedFinding = PostedFinding & Required<Pick<PostedFinding, 'severity' | 'file' | 'title'>>

/** Whether `posted` was recorded whole (an older release's marker holds its key and lines only). */
export function isRecorded(posted: PostedFinding): posted is RecordedFinding {
  return posted.severity !== undefined && posted.file !== undefined && posted.title !== undefined
}

/** Same file and the same title, whatever the wording's case and spacing. */
export function findingKey(finding: Pick<Finding, 'file' | 'title'>): string {
  const title = finding.title.toLowerCase().replace(/\s+/g, ' ').trim()
  return createHash('sha256').update(`${finding.file}\n${title}`).digest('hex').slice(0, 16)
}

/** The code of a span of lines, spacing around each line aside: what says later whether it is still there. */
export function fingerprintCode(lines: readonly string[]): string {
  const code = lines.map((line) => line.trim()).join('\n')
  return createHash('sha256').update(code).digest('hex').slice(0, 16)
}

export function headMarker(sha: string): string {
  return `<!-- opencode-pr-review:head ${sha} -->`
}

/** A finding as its marker records it: what, where, how severe, and the code it sits on. */
export function postedOf(finding: Finding): PostedFinding {
  return {
    key: findingKey(finding),
    startLine: finding.startLine,
    endLine: finding.endLine,
    severity: finding.severity,
    file: finding.file,
    title: finding.title,
    codeFingerprint: finding.codeFingerprint
  }
}

/** The file and title are URI-encoded: no space, no `>` to end the comment early. */
export function findingMarker(finding: Finding): string {
  const { key, startLine, endLine, severity, codeFingerprint } = postedOf(finding)
  const recorded = [
    severity,
    codeFingerprint ?? '-',
    encodeURIComponent(finding.file),
    encodeURIComponent(finding.title)
  ]
  return `<!-- opencode-pr-review:finding ${key} ${startLine}-${endLine} ${recorded.join(' ')} -->`
}

const FINDING_MARKER =
  /<!-- opencode-pr-review:finding ([0-9a-f]{16}) (\d+)-(\d+)(?: (\w+) ([0-9a-f]{16}|gone|-) (\S+) (\S+))? -->/g

/** The findings whose markers a posted body holds; an older marker gives its key and lines only. */
export function readPostedFindings(body: string): PostedFinding[] {
  return [...body.matchAll(FINDING_MARKER)].map((match) => {
    const posted = { key: match[1], startLine: Number(match[2]), endLine: Number(match[3]) }
    const [severity, codeFingerprint, file, title] = match.slice(4)
    if (severity === undefined || !isSeverity(severity)) return posted
    try {
      const recorded = { severity, file: decodeURIComponent(file), title: decodeURIComponent(title) }
      return { ...posted, ...recorded, ...(codeFingerprint === '-' ? {} : { codeFingerprint }) }
    } catch {
      return posted
    }
  })
}

/** The head a body's marker names: the last one, which the action appends after all the model wrote. */
export function headIn(body: string): string | undefined {
  return [...body.matchAll(/<!-- opencode-pr-review:head ([0-9a-f]{40}) -->/g)].at(-1)?.[1]
}

/** Records which findings stood when a review was posted: the next one counts those resolved since. */
export function standingMarker(keys: readonly string[]): string {
  return `<!-- opencode-pr-review:standing${keys.map((key) => ` ${key}`).join('')} -->`
}

/** The keys a body's standing marker lists; undefined when it has none (a review by an older release). */
export function standingIn(body: string): string[] | undefined {
  const match = [...body.matchAll(/<!-- opencode-pr-review:standing((?: [0-9a-f]{16})*) -->/g)].at(-1)
  return match?.[1].split(' ').filter(Boolean)
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
  const key = findingKey(finding)
  return posted.some(
    (earlier) => earlier.key === key && earlier.startLine === finding.startLine && earlier.endLine === finding.endLine
  )
}
