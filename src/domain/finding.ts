/** A finding: what the review reports on lines of a changed file, and how severe it is. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'nit'] as const
export type Severity = (typeof SEVERITIES)[number]

export interface Finding {
  /** Path in the pull request's head, as in the diff. */
  file: string
  /** Lines on the new side of the diff, 1-based, `startLine <= endLine`. */
  startLine: number
  endLine: number
  severity: Severity
  title: string
  body: string
  /** Code that replaces lines `startLine..endLine` exactly. */
  suggestion?: string
  /** The text of `startLine` as the model read it: what places the finding when its line numbers are off. */
  quote?: string
  /** How sure the model is that the problem is real, from 0 to 1; undefined when it did not say. */
  confidence?: number
  /** Set before it is posted: the code on its lines in the head (fingerprintCode of markers.ts), which says later whether it still stands. */
  codeFingerprint?: string
}

function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity)
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value)
}

/** `12`, or `12-14` for more than one line (`separator` between). */
export function lineSpan(start: number, end: number, separator = '-'): string {
  return start === end ? `${start}` : `${start}${separator}${end}`
}

/** Findings at or above `minimum`, most severe first (stable within a severity). */
export function atLeast<T extends Pick<Finding, 'severity'>>(findings: readonly T[], minimum: Severity): T[] {
  return findings
    .filter((finding) => severityRank(finding.severity) >= severityRank(minimum))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
}

/** Whether the model is less sure of `finding` than `minimum`: one whose confidence is unknown never is. */
export function belowConfidence(finding: Pick<Finding, 'confidence'>, minimum: number): boolean {
  return finding.confidence !== undefined && finding.confidence < minimum
}

export function countBySeverity(findings: readonly Pick<Finding, 'severity'>[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>
  for (const finding of findings) counts[finding.severity]++
  return counts
}

export function highestSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity | undefined {
  return SEVERITIES.find((severity) => findings.some((finding) => finding.severity === severity))
}
