import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../src/domain/finding.js'
import { findingKey } from '../../src/domain/markers.js'
import type { EarlierFinding } from '../../src/domain/standing.js'
import { judgeVerdict } from '../../src/domain/verdict.js'

function earlier(
  title: string,
  state: EarlierFinding['state'],
  severity: Finding['severity'] = 'high'
): EarlierFinding {
  return {
    posted: {
      key: findingKey({ file: 'src/a.ts', title }),
      startLine: 2,
      endLine: 2,
      severity,
      file: 'src/a.ts',
      title
    },
    url: `https://github.com/o/r/pull/1#${title}`,
    sticky: false,
    state,
    ...(state === 'stands' ? { place: { startLine: 12, endLine: 12 } } : {})
  }
}
const found = (title: string, startLine: number, severity: Finding['severity'] = 'medium'): Finding => ({
  file: 'src/a.ts',
  startLine,
  endLine: startLine,
  severity,
  title,
  body: ''
})

describe('judgeVerdict', () => {
  it('blocks on an earlier finding that stands though this run did not find it, and counts it once when it did', () => {
    const missed = judgeVerdict([earlier('Injection', 'stands')], [], { failOn: 'high', minSeverity: 'low' })
    expect(missed).toMatchObject({ state: 'blocking', resolved: 0 })
    expect(missed.blocking).toEqual([
      {
        key: findingKey({ file: 'src/a.ts', title: 'Injection' }),
        file: 'src/a.ts',
        title: 'Injection',
        severity: 'high',
        startLine: 12,
        endLine: 12,
        url: 'https://github.com/o/r/pull/1#Injection'
      }
    ])
    const foundAgain = judgeVerdict([earlier('Injection', 'stands')], [found('injection', 12, 'low')], {
      failOn: 'high',
      minSeverity: 'low'
    })
    expect(foundAgain.standing).toHaveLength(1)
    expect(foundAgain.standing[0].url).toBeDefined()
  })

  it('counts what could not be read as standing, and nothing fixed or waived', () => {
    const verdict = judgeVerdict(
      [earlier('Unread', 'unknown'), earlier('Fixed', 'fixed'), earlier('Waived', 'waived')],
      [],
      { failOn: 'critical', minSeverity: 'low' }
    )
    expect(verdict.standing.map((finding) => [finding.title, finding.startLine])).toEqual([['Unread', 2]])
    expect(verdict.state).toBe('clear')
  })

  it("adds this run's findings, most severe first, drops those below min-severity, and counts what was resolved since the last review", () => {
    const verdict = judgeVerdict(
      [earlier('Still', 'stands', 'low'), earlier('Fixed', 'fixed'), earlier('Minor', 'stands', 'nit')],
      [found('New', 30, 'critical'), found('Small', 31, 'nit')],
      {
        failOn: 'critical',
        minSeverity: 'low',
        lastStanding: ['Still', 'Fixed', 'Fixed'].map((title) => findingKey({ file: 'src/a.ts', title }))
      }
    )
    expect(verdict.standing.map((finding) => [finding.title, finding.url !== undefined])).toEqual([
      ['New', false],
      ['Still', true]
    ])
    expect(verdict.blocking.map((finding) => finding.title)).toEqual(['New'])
    expect(verdict.resolved).toBe(1)
  })

  it('blocks nothing without fail-on', () => {
    const verdict = judgeVerdict([earlier('Injection', 'stands', 'critical')], [], { minSeverity: 'low' })
    expect(verdict).toMatchObject({ state: 'clear', blocking: [] })
    expect(verdict.standing).toHaveLength(1)
  })
})
