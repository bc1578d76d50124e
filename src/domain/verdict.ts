import { atLeast, type Finding, type Severity } from './finding.js'
import { findingKey } from './markers.js'
import type { EarlierFinding } from './standing.js'

/**
 * The verdict on a pull request, not on a push: what stands after a run (the earlier findings that still
 * stand, and this run's), and whether any of it reaches `fail-on`.
 */

export interface StandingFinding extends Pick<Finding, 'file' | 'title' | 'severity' | 'startLine' | 'endLine'> {
  key: string
  /** Where an earlier run posted it; undefined for this run's own, which the review being posted holds. */
  url?: string
}

export interface Verdict {
  failOn?: Severity
  /** Everything that stands, most severe first. */
  standing: StandingFinding[]
  /** Those at or above `failOn`. */
  blocking: StandingFinding[]
  /** Findings that stood when the last review was posted and no longer do. */
  resolved: number
  state: 'blocking' | 'clear'
}

export interface GateOptions {
  /** Undefined: nothing blocks. */
  failOn?: Severity
  /** Findings below it count nowhere. */
  minSeverity: Severity
  /** The keys of the findings that stood when the last review was posted, when it recorded them. */
  lastStanding?: readonly string[]
}

function fromEarlier({ posted, place, url }: EarlierFinding): StandingFinding {
  const { key, file, title, severity } = posted
  return { key, file, title, severity, ...(place ?? { startLine: posted.startLine, endLine: posted.endLine }), url }
}

/**
 * Judges the pull request: the earlier findings that stand (or whose code could not be read), once each,
 * and the findings this run found, less those that are the same finding on the same lines as one of them.
 */
export function judgeVerdict(
  earlier: readonly EarlierFinding[],
  found: readonly Finding[],
  options: GateOptions
): Verdict {
  const kept: StandingFinding[] = []
  for (const item of earlier) {
    if (item.state !== 'stands' && item.state !== 'unknown') continue
    const candidate = fromEarlier(item)
    if (!kept.some((other) => other.key === candidate.key && other.startLine === candidate.startLine))
      kept.push(candidate)
  }
  const repeated = (finding: Finding, key: string) =>
    earlier.some(
      (item) =>
        item.posted.key === key &&
        (item.state === 'stands' || item.state === 'unknown') &&
        [item.place?.startLine, item.posted.startLine].includes(finding.startLine)
    )
  const ours = found.flatMap((finding) => {
    const key = findingKey(finding)
    if (repeated(finding, key)) return []
    const { file, title, severity, startLine, endLine } = finding
    return [{ key, file, title, severity, startLine, endLine }]
  })
  const standing = atLeast([...kept, ...ours], options.minSeverity)
  const blocking = options.failOn ? atLeast(standing, options.failOn) : []
  const now = new Set(standing.map((finding) => finding.key))
  const resolved = new Set(options.lastStanding?.filter((key) => !now.has(key))).size
  return { failOn: options.failOn, standing, blocking, resolved, state: blocking.length ? 'blocking' : 'clear' }
}
