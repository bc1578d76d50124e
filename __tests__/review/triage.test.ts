import { describe, expect, it } from '@jest/globals'
import type { FileDiff } from '../../src/diff/parse.js'
import type { Finding } from '../../src/domain/finding.js'
import { findingKey, fingerprintCode } from '../../src/domain/markers.js'
import type { Learning } from '../../src/domain/learnings.js'
import { triage } from '../../src/review/triage.js'

/** A pull request that adds src/a.ts: lines 1..20, line n reading `line n`. */
const pullRequestFiles: FileDiff[] = [
  {
    path: 'src/a.ts',
    status: 'added',
    binary: false,
    text: ['@@ -0,0 +1,20 @@', ...Array.from({ length: 20 }, (_, i) => `+line ${i + 1}`)].join('\n')
  }
]
const finding = (patch: Partial<Finding> = {}): Finding => ({
  file: 'src/a.ts',
  startLine: 3,
  endLine: 3,
  severity: 'high',
  title: 'Bug',
  body: '',
  ...patch
})
const options = {
  minSeverity: 'low' as const,
  inlineComments: true,
  maxFindings: 10,
  pullRequestFiles,
  posted: [],
  waivedKeys: []
}

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

  it('posts at most maxFindings new findings, the most severe, in their order within a severity', () => {
    const findings = [
      finding({ severity: 'low', title: 'Low' }),
      finding({ severity: 'high', title: 'High 1' }),
      finding({ severity: 'medium', title: 'Medium', startLine: 40, endLine: 40 }),
      finding({ severity: 'high', title: 'High 2' })
    ]
    const sorted = triage(findings, { ...options, maxFindings: 3 })
    expect(sorted.inline.map((entry) => entry.finding.title)).toEqual(['High 1', 'High 2'])
    expect(sorted.listed.map((entry) => entry.title)).toEqual(['Medium'])
    expect(sorted.omitted.map((entry) => entry.title)).toEqual(['Low'])
    // The verdict still sees all of them.
    expect(sorted.found).toHaveLength(4)
  })

  it('does not count repeats against maxFindings: they are not posted', () => {
    const repeat = finding({ severity: 'critical', title: 'Old' })
    const sorted = triage([repeat, finding({ title: 'New' })], {
      ...options,
      maxFindings: 1,
      posted: [{ key: findingKey(repeat), startLine: 3, endLine: 3 }]
    })
    expect(sorted.repeats).toEqual([repeat])
    expect(sorted.inline.map((entry) => entry.finding.title)).toEqual(['New'])
    expect(sorted.omitted).toEqual([])
  })

  it('judges, posts and recognises repeats on the line a finding quotes, not the miscounted one', () => {
    const miscounted = finding({ startLine: 5, endLine: 6, quote: 'line 3' })
    const onQuote = { ...miscounted, startLine: 3, endLine: 4 }
    const sorted = triage([miscounted], options)
    expect(sorted.found).toEqual([onQuote])
    expect(sorted.inline).toEqual([{ finding: onQuote, anchor: { path: 'src/a.ts', line: 4, startLine: 3 } }])
    const again = triage([miscounted], { ...options, posted: [{ key: findingKey(onQuote), startLine: 3, endLine: 4 }] })
    expect(again.repeats).toEqual([onQuote])
  })

  it('lists a finding whose quote is nowhere near in the body, even on lines of the diff', () => {
    const unmatched = finding({ quote: 'not in the file' })
    expect(triage([unmatched], options)).toMatchObject({ inline: [], listed: [unmatched] })
  })

  it('drops a finding a maintainer rejected on the same code, on the line it quotes: neither posted nor found', () => {
    const rejected = finding({ startLine: 6, endLine: 6, quote: 'line 4' })
    const learning: Learning = {
      text: 'Rejected finding "Bug" in `src/a.ts`: not a bug.',
      rejects: { file: 'src/a.ts', key: findingKey(rejected), code: fingerprintCode(['line 4']) }
    }
    const other = finding({ title: 'Another bug' })
    const elsewhere = finding({ startLine: 5, endLine: 5 })
    const sorted = triage([rejected, other, elsewhere], { ...options, learnings: [learning] })
    expect(sorted.rejected).toEqual([{ ...rejected, startLine: 4, endLine: 4 }])
    // The same title on other code, and another title on the same code, still count.
    expect(sorted.found).toEqual([other, elsewhere])
    expect(sorted.inline.map((entry) => entry.finding)).toEqual([other, elsewhere])
    // Without the learning it is posted.
    expect(triage([rejected], options).rejected).toEqual([])
  })

  it('sets aside what a person with write access waived (same file and title, any lines): neither posted nor counted', () => {
    const waived = finding({ startLine: 7, endLine: 7, title: '  BUG ' })
    const other = finding({ title: 'Another' })
    const sorted = triage([waived, other], { ...options, waivedKeys: [findingKey(finding())] })
    expect(sorted.waived).toEqual([waived])
    expect(sorted.found).toEqual([other])
    expect(sorted.inline.map(({ finding: placed }) => placed)).toEqual([other])
  })
})
