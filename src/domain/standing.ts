import { CODE_GONE, findingKey, fingerprintCode, type PostedFinding, type RecordedFinding } from './markers.js'
import type { Finding } from './finding.js'
import type { Person, ThreadedFinding } from './thread.js'

/**
 * Whether a finding an earlier run posted still stands: until its code is gone from the head or has
 * changed, or a person with write access waives it (resolves its thread, reacts 👎, replies to dismiss it).
 */

/** How far from where a finding was (GitHub's current line, for one on its lines) its code is looked for in the head. */
export const CODE_SEARCH_LINES = 50

export interface Lines {
  startLine: number
  endLine: number
}

/**
 * Where the code `posted` was posted on is in the head's file now (`lines`; undefined: no such file), the
 * nearest to `near` within CODE_SEARCH_LINES; undefined when it is gone or changed. A finding posted on lines
 * the head did not have (a deleted file) stands where it was while the head still lacks them.
 */
export function locateCode(
  posted: Pick<PostedFinding, 'startLine' | 'endLine' | 'codeFingerprint'>,
  lines: readonly string[] | undefined,
  near: number
): Lines | undefined {
  if (posted.codeFingerprint === CODE_GONE)
    return lines === undefined || lines.length < posted.endLine
      ? { startLine: posted.startLine, endLine: posted.endLine }
      : undefined
  if (lines === undefined) return undefined
  const span = posted.endLine - posted.startLine + 1
  for (let distance = 0; distance <= CODE_SEARCH_LINES; distance++) {
    for (const startLine of distance ? [near - distance, near + distance] : [near]) {
      const endLine = startLine + span - 1
      if (startLine < 1 || endLine > lines.length) continue
      if (fingerprintCode(lines.slice(startLine - 1, endLine)) === posted.codeFingerprint) return { startLine, endLine }
    }
  }
  return undefined
}

/**
 * What a reply that dismisses a finding starts with, whatever the case: "Won't fix: the input is trusted."
 * A reply is a question or an argument unless it opens with one of these.
 */
const DISMISSING =
  /^\s*(?:dismiss(?:ed)?|won['’]?t fix|wontfix|false positive|not a bug|not an issue|by design|works as intended|ignore (?:this|it))(?![\w-])/i

export function dismisses(reply: string): boolean {
  return DISMISSING.test(reply)
}

/** How a finding was waived, and by whom. */
export interface Waiver {
  how: 'resolved' | 'thumbs-down' | 'reply'
  by: string
}

const mayWaive = (person: Person | undefined): person is Person =>
  person !== undefined && !person.bot && person.canWrite

/** The waiver a person with write access gave on the finding's thread, if any: the pull request's author without it cannot. */
export function waiverOf(thread: ThreadedFinding): Waiver | undefined {
  if (thread.isResolved && mayWaive(thread.resolvedBy)) return { how: 'resolved', by: thread.resolvedBy.login }
  const reactor = thread.thumbsDown.find(mayWaive)
  if (reactor) return { how: 'thumbs-down', by: reactor.login }
  const reply = thread.replies.find(
    (candidate) => !candidate.byAction && mayWaive(candidate.author) && dismisses(candidate.body)
  )
  return reply && { how: 'reply', by: reply.author.login }
}

/** A finding an earlier run posted, as this run judges it. */
export interface EarlierFinding {
  posted: RecordedFinding
  /** Its comment (a thread), or the review or comment that lists it. */
  url: string
  /** Listed in the body of the sticky comment this run rewrites. */
  sticky: boolean
  /**
   * `stands`: its code is where it was and nobody waived it; `fixed`: its code is gone or changed;
   * `waived`; `unknown`: its code could not be read (it counts as standing).
   */
  state: 'stands' | 'fixed' | 'waived' | 'unknown'
  /** Where its code is in the head now, when it stands. */
  place?: Lines
  waiver?: Waiver
}

/**
 * The standing findings the sticky comment listed, which this run rewrites: listed again (where their code
 * is now) unless this run posts them itself, or they would vanish from the pull request, and from the verdict.
 */
export function carriedOver(earlier: readonly EarlierFinding[], postedNow: readonly Finding[]): Finding[] {
  return earlier.flatMap(({ posted, place, sticky, state }) => {
    if (!sticky || (state !== 'stands' && state !== 'unknown')) return []
    const lines = place ?? posted
    const again = postedNow.some(
      (finding) => findingKey(finding) === posted.key && finding.startLine === lines.startLine
    )
    if (again) return []
    const { file, title, severity, codeFingerprint } = posted
    return [{ file, title, severity, body: '', startLine: lines.startLine, endLine: lines.endLine, codeFingerprint }]
  })
}
