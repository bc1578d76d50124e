import { describe, expect, it } from '@jest/globals'
import { countsAt, countsOf, pairOff, scoresOf, sumCounts } from '../../src/eval/scoring.js'

describe('pairOff', () => {
  it('keeps each finding and each golden comment in one match at most, first claim first', () => {
    const claimed = [
      { finding: 0, golden: 1 },
      { finding: 0, golden: 0 },
      { finding: 1, golden: 1 },
      { finding: 2, golden: 0 }
    ]
    expect(pairOff(claimed, 3, 2)).toEqual([
      { finding: 0, golden: 1 },
      { finding: 2, golden: 0 }
    ])
  })

  it('drops pairs that name no finding or golden comment', () => {
    expect(
      pairOff(
        [
          { finding: 3, golden: 0 },
          { finding: 0, golden: -1 },
          { finding: 0.5, golden: 0 },
          { finding: 1, golden: 1 }
        ],
        2,
        2
      )
    ).toEqual([{ finding: 1, golden: 1 }])
  })
})

describe('scoresOf', () => {
  it('precision is matched findings / findings, recall golden found / golden, F1 their harmonic mean', () => {
    // 2 of 4 findings matched, 2 of 3 golden comments found.
    const scores = scoresOf({ golden: 3, goldenFound: 2, findings: 4, findingsMatched: 2 })
    expect(scores.precision).toBe(0.5)
    expect(scores.recall).toBeCloseTo(2 / 3, 10)
    expect(scores.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 10)
    expect(scores.f1).toBeCloseTo(4 / 7, 10)
  })

  it('no findings: precision undefined (nothing to be right about), recall 0, F1 undefined', () => {
    expect(scoresOf({ golden: 2, goldenFound: 0, findings: 0, findingsMatched: 0 })).toEqual({
      precision: undefined,
      recall: 0,
      f1: undefined
    })
  })

  it('no golden comments: recall undefined', () => {
    expect(scoresOf({ golden: 0, goldenFound: 0, findings: 3, findingsMatched: 0 })).toEqual({
      precision: 0,
      recall: undefined,
      f1: undefined
    })
  })

  it('findings that match nothing: F1 is 0, not a division by zero', () => {
    expect(scoresOf({ golden: 2, goldenFound: 0, findings: 3, findingsMatched: 0 })).toEqual({
      precision: 0,
      recall: 0,
      f1: 0
    })
  })

  it('every finding right and every golden comment found: all 1', () => {
    expect(scoresOf({ golden: 2, goldenFound: 2, findings: 2, findingsMatched: 2 })).toEqual({
      precision: 1,
      recall: 1,
      f1: 1
    })
  })
})

describe('totals', () => {
  it('are micro-averaged: counts summed, then divided once (not the mean of per-PR scores)', () => {
    const a = { golden: 1, goldenFound: 1, findings: 1, findingsMatched: 1 }
    const b = { golden: 9, goldenFound: 0, findings: 9, findingsMatched: 0 }
    const total = sumCounts([a, b])
    expect(total).toEqual({ golden: 10, goldenFound: 1, findings: 10, findingsMatched: 1 })
    // The mean of the per-PR recalls would be 0.5.
    expect(scoresOf(total).recall).toBe(0.1)
    expect(scoresOf(total).precision).toBe(0.1)
  })

  it('of no pull request are zero counts with undefined scores', () => {
    expect(sumCounts([])).toEqual({ golden: 0, goldenFound: 0, findings: 0, findingsMatched: 0 })
    expect(scoresOf(sumCounts([]))).toEqual({ precision: undefined, recall: undefined, f1: undefined })
  })
})

describe('countsOf', () => {
  it('counts the distinct findings and golden comments of the kept matches', () => {
    expect(
      countsOf(
        [
          { finding: 0, golden: 1 },
          { finding: 2, golden: 0 }
        ],
        5,
        3
      )
    ).toEqual({ golden: 3, goldenFound: 2, findings: 5, findingsMatched: 2 })
  })
})

describe('countsAt', () => {
  // Four findings, most severe first; the first and the third are right.
  const review = {
    findings: [{ confidence: 0.9 }, { confidence: 0.3 }, {}, { confidence: 0.6 }],
    matches: [
      { finding: 0, golden: 0 },
      { finding: 2, golden: 1 }
    ],
    golden: 3
  }

  it('drops the findings below the threshold and their matches; a finding without a confidence is always kept', () => {
    expect(countsAt(review, 0)).toEqual({ golden: 3, goldenFound: 2, findings: 4, findingsMatched: 2 })
    expect(countsAt(review, 0.5)).toEqual({ golden: 3, goldenFound: 2, findings: 3, findingsMatched: 2 })
    expect(countsAt(review, 0.95)).toEqual({ golden: 3, goldenFound: 1, findings: 1, findingsMatched: 1 })
  })

  it('posts at most max-findings of those kept, as a review does: a dropped finding makes room for the next', () => {
    // Capped at 2: the first two found. At 0.5 the unsure second is dropped and the third, right, is posted instead.
    expect(countsAt({ ...review, maxFindings: 2 }, 0)).toEqual({
      golden: 3,
      goldenFound: 1,
      findings: 2,
      findingsMatched: 1
    })
    expect(countsAt({ ...review, maxFindings: 2 }, 0.5)).toEqual({
      golden: 3,
      goldenFound: 2,
      findings: 2,
      findingsMatched: 2
    })
  })
})
