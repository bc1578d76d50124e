import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../src/domain/finding.js'
import { buildVerificationPrompt, verdictOn } from '../../src/review/verify.js'

const finding = (title: string, patch: Partial<Finding> = {}): Finding => ({
  file: 'src/a.ts',
  startLine: 3,
  endLine: 3,
  severity: 'high',
  title,
  body: `Why ${title}.`,
  ...patch
})
const findings = [
  finding('First'),
  finding('Second', { startLine: 7, endLine: 9, quote: 'if (x) {' }),
  finding('Third')
]

describe('buildVerificationPrompt', () => {
  it('numbers each finding with its place, quote, title and explanation, and asks for the numbers that hold', () => {
    const prompt = buildVerificationPrompt(findings)
    expect(prompt).toContain('1. [high] src/a.ts:3: First\nWhy First.')
    expect(prompt).toContain('2. [high] src/a.ts:7-9 (`if (x) {`): Second\nWhy Second.')
    expect(prompt).toContain('3. [high] src/a.ts:3: Third')
    expect(prompt).toContain(
      'call the StructuredOutput tool once: "holding" lists the numbers of the findings that hold'
    )
  })
})

describe('verdictOn', () => {
  it('keeps the findings whose numbers hold, in their order, and sets the others apart', () => {
    expect(verdictOn(findings, { holding: [3, '1'] })).toEqual({
      kept: [findings[0], findings[2]],
      refuted: [findings[1]]
    })
  })

  it('ignores numbers that name no finding; an empty list refutes them all', () => {
    expect(verdictOn(findings, { holding: [0, 4, 2.5, 'x', 2] })).toEqual({
      kept: [findings[1]],
      refuted: [findings[0], findings[2]]
    })
    expect(verdictOn(findings, { holding: [] })?.refuted).toEqual(findings)
  })

  it('gives no verdict for an answer that is not one', () => {
    for (const answer of [undefined, null, 'all hold', [1, 2], { holding: '1,2' }, { kept: [1] }])
      expect(verdictOn(findings, answer)).toBeUndefined()
  })
})
