import { describe, expect, it } from '@jest/globals'
import type { LineRange } from '../../src/diff/lines.js'
import type { Finding } from '../../src/review/findings.js'
import { findingKey } from '../../src/github/history.js'
import { triage } from '../../src/review/triage.js'

const lines = new Map<string, LineRange[]>([['src/a.ts', [{ start: 1, end: 20 }]]])
const finding = (patch: Partial<Finding> = {}): Finding => ({
  file: 'src/a.ts',
  startLine: 3,
  endLine: 3,
  severity: 'high',
  title: 'Bug',
  body: '',
  ...patch
})
const options = { minSeverity: 'low' as const, inlineComments: true, lines, posted: [] }

describe('triage', () => {
  it('puts findings on their lines when the diff shows them, else in the body', () => {
    const onLine = finding()
    const offDiff = finding({ startLine: 40, endLine: 41, title: 'Far away' })
    const otherFile = finding({ file: 'README.md', title: 'Docs' })
    const sorted = triage([onLine, offDiff, otherFile], options)
    expect(sorted.inline).toEqual([{ finding: onLine, anchor: { path: 'src/a.ts', line: 3 } }])
    expect(sorted.listed).toEqual([offDiff, otherFile])
    expect(sorted.found).toHaveLength(3)
  })

  it('drops findings below the minimum severity from everything, the verdict included', () => {
    const sorted = triage([finding({ severity: 'nit' }), finding({ severity: 'low', title: 'Low' })], {
      ...options,
      minSeverity: 'low'
    })
    expect(sorted.found.map((entry) => entry.severity)).toEqual(['low'])
    expect(sorted.inline).toHaveLength(1)
  })

  it('lists every finding in the body without inline comments', () => {
    const sorted = triage([finding()], { ...options, inlineComments: false })
    expect(sorted.inline).toEqual([])
    expect(sorted.listed).toEqual([finding()])
  })

  it('does not post again what an earlier run posted on the same lines, but still counts it as found', () => {
    const repeat = finding()
    const moved = finding({ startLine: 5, endLine: 5 })
    const sorted = triage([repeat, moved], {
      ...options,
      posted: [{ key: findingKey(repeat), startLine: 3, endLine: 3 }]
    })
    expect(sorted.repeats).toEqual([repeat])
    expect(sorted.inline.map((entry) => entry.finding)).toEqual([moved])
    expect(sorted.found).toHaveLength(2)
  })
})
