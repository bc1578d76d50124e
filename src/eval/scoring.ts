import { belowConfidence, type Finding } from '../domain/finding.js'

/**
 * The arithmetic of the benchmark, free of any review or model: pairing
 * findings with expected comments one to one, precision, recall and F1
 * from the counts, and the counts had a confidence threshold dropped some
 * findings. Totals are micro-averaged: counts are summed over all pull
 * requests first, then divided once.
 */

/** One claimed match: finding `finding` describes expected comment `golden` (0-based indices). */
export interface Match {
  finding: number
  golden: number
}

/**
 * The claimed matches kept one to one, in the order given: a finding matches
 * at most one expected comment and an expected comment is found at most once.
 * Pairs outside `findings` x `golden` are dropped.
 */
export function pairOff<T extends Match>(claimed: readonly T[], findings: number, golden: number): T[] {
  const usedFindings = new Set<number>()
  const usedGolden = new Set<number>()
  const kept: T[] = []
  for (const match of claimed) {
    const inRange =
      Number.isInteger(match.finding) &&
      Number.isInteger(match.golden) &&
      match.finding >= 0 &&
      match.finding < findings &&
      match.golden >= 0 &&
      match.golden < golden
    if (!inRange || usedFindings.has(match.finding) || usedGolden.has(match.golden)) continue
    usedFindings.add(match.finding)
    usedGolden.add(match.golden)
    kept.push(match)
  }
  return kept
}

export interface Counts {
  /** Expected comments. */
  golden: number
  /** Expected comments some finding matched. */
  goldenFound: number
  /** Findings the reviewer posted. */
  findings: number
  /** Findings that matched an expected comment. */
  findingsMatched: number
}

export interface Scores {
  /** Matched findings / findings; undefined with no findings. */
  precision: number | undefined
  /** Expected comments found / expected comments; undefined with none expected. */
  recall: number | undefined
  /** Harmonic mean of the two; 0 when both are 0, undefined when either is. */
  f1: number | undefined
}

function ratio(part: number, whole: number): number | undefined {
  return whole === 0 ? undefined : part / whole
}

export function scoresOf(counts: Counts): Scores {
  const precision = ratio(counts.findingsMatched, counts.findings)
  const recall = ratio(counts.goldenFound, counts.golden)
  const f1 =
    precision === undefined || recall === undefined
      ? undefined
      : precision + recall === 0
        ? 0
        : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}

/** The counts of all pull requests summed: the micro-average's numerator and denominators. */
export function sumCounts(all: readonly Counts[]): Counts {
  return all.reduce(
    (sum, counts) => ({
      golden: sum.golden + counts.golden,
      goldenFound: sum.goldenFound + counts.goldenFound,
      findings: sum.findings + counts.findings,
      findingsMatched: sum.findingsMatched + counts.findingsMatched
    }),
    { golden: 0, goldenFound: 0, findings: 0, findingsMatched: 0 }
  )
}

/** The counts of one pull request from its kept (one-to-one) matches. */
export function countsOf(matches: readonly Match[], findings: number, golden: number): Counts {
  return {
    golden,
    goldenFound: new Set(matches.map((match) => match.golden)).size,
    findings,
    findingsMatched: new Set(matches.map((match) => match.finding)).size
  }
}

/** The thresholds the eval gives precision and recall at: from keeping every finding to keeping the surest. */
export const CONFIDENCE_THRESHOLDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const

export interface JudgedReview {
  /** Every finding found, most severe first, as the review would post them before its cap. */
  findings: ReadonlyArray<Pick<Finding, 'confidence'>>
  /** Kept one to one, indices into `findings`. */
  matches: readonly Match[]
  golden: number
  /** The review's `max-findings`; undefined: no cap. */
  maxFindings?: number
}

/**
 * The counts had the review dropped the findings below `minConfidence`, as a posted review does: the others
 * kept, the first `maxFindings` of them posted, and only the matches of those counted.
 */
export function countsAt(review: JudgedReview, minConfidence: number): Counts {
  const posted = review.findings
    .flatMap((finding, index) => (belowConfidence(finding, minConfidence) ? [] : [index]))
    .slice(0, review.maxFindings)
  const kept = new Set(posted)
  return countsOf(
    review.matches.filter((match) => kept.has(match.finding)),
    posted.length,
    review.golden
  )
}
