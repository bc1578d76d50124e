import { describe, expect, it } from '@jest/globals'
import { atLeast, countBySeverity, type Finding, highestSeverity } from '../../src/domain/finding.js'
import { parseStructuredReview, reviewSchema, splitFencedFindings } from '../../src/review/findings.js'

const finding = (patch: Partial<Finding> = {}): Finding => ({
  file: 'src/a.ts',
  startLine: 3,
  endLine: 3,
  severity: 'high',
  title: 'Off by one',
  body: 'Loops once too often.',
  ...patch
})

describe('parseStructuredReview', () => {
  it('reads the summary and well-formed findings', () => {
    const review = parseStructuredReview({
      summary: ' Adds login. ',
      findings: [
        {
          file: 'src/a.ts',
          start_line: 3,
          end_line: 5,
          severity: 'high',
          title: 'Off by one',
          body: 'Why.',
          suggestion: 'for (;;) {}\n'
        }
      ]
    })
    expect(review).toEqual({
      summary: 'Adds login.',
      walkthrough: [],
      findings: [finding({ endLine: 5, body: 'Why.', suggestion: 'for (;;) {}' })],
      dropped: 0
    })
  })

  it('drops malformed findings and keeps the rest, never throwing', () => {
    const review = parseStructuredReview({
      summary: 'S',
      findings: [
        {
          file: 'src/a.ts',
          start_line: 3,
          end_line: 3,
          severity: 'high',
          title: 'Off by one',
          body: 'Loops once too often.'
        },
        { file: 'src/a.ts', start_line: 0, severity: 'high', title: 'line zero' },
        { file: '', start_line: 1, severity: 'low', title: 'no file' },
        { file: 'x.ts', start_line: 1, severity: 'blocker', title: 'unknown severity' },
        { file: 'x.ts', start_line: 1, severity: 'low', title: '   ' },
        'not an object',
        null
      ]
    })
    expect(review).toEqual({ summary: 'S', walkthrough: [], findings: [finding()], dropped: 6 })
  })

  it('repairs what is unambiguous: reversed ranges, one line, numeric strings, case, ./ paths', () => {
    const review = parseStructuredReview({
      findings: [
        {
          file: './src/a.ts',
          start_line: '9',
          end_line: 4,
          severity: 'Medium',
          title: 'Reversed\nsecond line',
          body: 1
        },
        { path: 'src/b.ts', line: 7, severity: 'nit', title: 'One line' }
      ]
    })
    expect(review?.findings).toEqual([
      { file: 'src/a.ts', startLine: 4, endLine: 9, severity: 'medium', title: 'Reversed', body: '' },
      { file: 'src/b.ts', startLine: 7, endLine: 7, severity: 'nit', title: 'One line', body: '' }
    ])
    expect(review?.summary).toBe('')
  })

  it('keeps the first line of the quote, trimmed, and no quote when it is empty or not text', () => {
    const review = parseStructuredReview({
      findings: [
        { file: 'a.ts', line: 1, severity: 'low', title: 'Multi-line', quote: '  if (x) {\n    y()\n' },
        { file: 'a.ts', line: 2, severity: 'low', title: 'Blank', quote: '   ' },
        { file: 'a.ts', line: 3, severity: 'low', title: 'Number', quote: 42 }
      ]
    })
    expect(review?.findings.map((entry) => entry.quote)).toEqual(['if (x) {', undefined, undefined])
    expect(review?.findings[1]).not.toHaveProperty('quote')
  })

  it("reads the finding's confidence from 0 to 1, a percentage as one, and none from anything else", () => {
    const confidences = [0.85, '0.3', 0, 1, 85, '70', -0.2, 150, 'sure', null]
    const review = parseStructuredReview({
      findings: confidences.map((confidence, index) => ({
        file: 'a.ts',
        line: index + 1,
        severity: 'low',
        title: `Finding ${index}`,
        confidence
      }))
    })
    expect(review?.findings.map((entry) => entry.confidence)).toEqual([
      0.85,
      0.3,
      0,
      1,
      0.85,
      0.7,
      undefined,
      undefined,
      undefined,
      undefined
    ])
    expect(review?.findings.at(-1)).not.toHaveProperty('confidence')
  })

  it('gives nothing for an answer that is not an object', () => {
    expect(parseStructuredReview('text')).toBeUndefined()
    expect(parseStructuredReview([1])).toBeUndefined()
    expect(parseStructuredReview({ summary: 'only' })).toEqual({
      summary: 'only',
      walkthrough: [],
      findings: [],
      dropped: 0
    })
  })
})

describe('reviewSchema', () => {
  it('asks for the walkthrough only when it is wanted, required then', () => {
    const withRows = reviewSchema(true) as { properties: Record<string, unknown>; required: string[] }
    const without = reviewSchema(false) as { properties: Record<string, unknown>; required: string[] }
    expect(Object.keys(withRows.properties)).toEqual(['summary', 'walkthrough', 'findings'])
    expect(withRows.required).toEqual(['summary', 'walkthrough', 'findings'])
    expect(withRows.properties.walkthrough).toMatchObject({
      type: 'array',
      description: expect.stringContaining('at most about 20 rows'),
      items: { required: ['files', 'change'] }
    })
    expect(Object.keys(without.properties)).toEqual(['summary', 'findings'])
    expect(without.required).toEqual(['summary', 'findings'])
    expect(JSON.stringify(without)).not.toContain('walkthrough')
    // The rest is the same schema, not a second copy that could drift.
    expect(withRows.properties.findings).toBe(without.properties.findings)
  })

  it("asks for each finding's confidence from 0 to 1, without requiring it", () => {
    const findings = (reviewSchema(false) as { properties: { findings: { items: Record<string, unknown> } } })
      .properties.findings.items as { properties: Record<string, unknown>; required: string[] }
    expect(findings.properties.confidence).toMatchObject({ type: 'number', minimum: 0, maximum: 1 })
    expect(findings.required).not.toContain('confidence')
  })
})

describe('the walkthrough in an answer', () => {
  it('is read from the structured answer, malformed rows dropped', () => {
    const review = parseStructuredReview({
      summary: 'S',
      walkthrough: [{ files: ['./src/a.ts'], change: 'Adds a.' }, { files: [], change: 'No file.' }, 7],
      findings: []
    })
    expect(review?.walkthrough).toEqual([{ files: ['src/a.ts'], change: 'Adds a.' }])
    expect(review?.dropped).toBe(0)
  })

  it('comes out of the same fenced block as the findings', () => {
    const markdown =
      'Summary.\n```json\n{"walkthrough": [{"files": ["src/a.ts"], "change": "Adds a."}], "findings": []}\n```'
    expect(splitFencedFindings(markdown)).toEqual({
      summary: 'Summary.',
      walkthrough: [{ files: ['src/a.ts'], change: 'Adds a.' }],
      findings: [],
      dropped: 0
    })
  })
})

describe('splitFencedFindings', () => {
  const block =
    '```json\n{"findings": [{"file": "src/a.ts", "start_line": 3, "end_line": 3, "severity": "high", "title": "Off by one", "body": "Loops once too often."}]}\n```'

  it('takes the findings block out of the markdown', () => {
    expect(splitFencedFindings(`Summary here.\n\n${block}\n`)).toEqual({
      summary: 'Summary here.',
      walkthrough: [],
      findings: [finding()],
      dropped: 0
    })
  })

  it('reads the quote of a fenced finding too', () => {
    const quoted = block.replace('"severity"', '"quote": "for (;;) {", "severity"')
    expect(splitFencedFindings(quoted).findings).toEqual([finding({ quote: 'for (;;) {' })])
  })

  it('uses the last json block and accepts a bare array', () => {
    const markdown =
      'Example:\n```json\n{"config": true}\n```\nDone.\n```json\n[{"file": "src/a.ts", "line": 3, "severity": "high", "title": "Off by one", "body": "Loops once too often."}]\n```'
    expect(splitFencedFindings(markdown)).toEqual({
      summary: 'Example:\n```json\n{"config": true}\n```\nDone.',
      walkthrough: [],
      findings: [finding()],
      dropped: 0
    })
  })

  it('leaves a review whose block is not JSON as it was', () => {
    const markdown = 'Summary.\n```json\n{ not json\n```'
    expect(splitFencedFindings(markdown)).toEqual({ summary: markdown, walkthrough: [], findings: [], dropped: 0 })
    expect(splitFencedFindings('Just text.')).toEqual({
      summary: 'Just text.',
      walkthrough: [],
      findings: [],
      dropped: 0
    })
  })
})

describe('severities', () => {
  const findings = [
    finding({ severity: 'nit' }),
    finding({ severity: 'critical', title: 'A' }),
    finding({ severity: 'low' }),
    finding({ severity: 'critical', title: 'B' })
  ]

  it('keeps findings at or above a minimum, most severe first, stable within a severity', () => {
    expect(atLeast(findings, 'low').map((entry) => `${entry.severity}:${entry.title}`)).toEqual([
      'critical:A',
      'critical:B',
      'low:Off by one'
    ])
    expect(atLeast(findings, 'nit')).toHaveLength(4)
    expect(atLeast(findings, 'high')).toHaveLength(2)
  })

  it('counts by severity and names the highest', () => {
    expect(countBySeverity(findings)).toEqual({ critical: 2, high: 0, medium: 0, low: 1, nit: 1 })
    expect(highestSeverity(findings)).toBe('critical')
    expect(highestSeverity([])).toBeUndefined()
  })
})
