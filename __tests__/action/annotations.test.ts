import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'
import type { StandingFinding, Verdict } from '../../src/domain/verdict.js'

jest.unstable_mockModule('@actions/core', () => core)
const { annotateStanding } = await import('../../src/action/annotations.js')

const standing = (index: number, severity: StandingFinding['severity']): StandingFinding => ({
  key: `${index}`.padStart(16, '0'),
  file: `src/f${index}.ts`,
  title: `Finding ${index}`,
  severity,
  startLine: index,
  endLine: index + 1,
  ...(index % 2 ? { url: `https://github.com/o/r/pull/1#discussion_r${index}` } : {})
})

beforeEach(() => {
  jest.clearAllMocks()
})

describe('annotateStanding', () => {
  it('annotates what blocks as errors and the rest as warnings, on their lines, with where each was posted', () => {
    const blocking = standing(1, 'high')
    const verdict: Verdict = {
      failOn: 'high',
      standing: [blocking, standing(2, 'low')],
      blocking: [blocking],
      resolved: 0,
      state: 'blocking'
    }

    annotateStanding(verdict, 'https://github.com/o/r/pull/1#pullrequestreview-9')

    expect(core.error).toHaveBeenCalledWith('high: Finding 1 (https://github.com/o/r/pull/1#discussion_r1)', {
      title: 'OpenCode review: high',
      file: 'src/f1.ts',
      startLine: 1,
      endLine: 2
    })
    expect(core.warning).toHaveBeenCalledWith(
      'low: Finding 2 (https://github.com/o/r/pull/1#pullrequestreview-9)',
      expect.objectContaining({ file: 'src/f2.ts', startLine: 2, endLine: 3 })
    )
    expect(core.info).not.toHaveBeenCalled()
  })

  it("stays within GitHub's per-step limits and names what it left out", () => {
    const blocking = Array.from({ length: 12 }, (_, index) => standing(index, 'critical'))
    const below = Array.from({ length: 10 }, (_, index) => standing(20 + index, 'low'))
    const verdict: Verdict = {
      failOn: 'critical',
      standing: [...blocking, ...below],
      blocking,
      resolved: 0,
      state: 'blocking'
    }

    annotateStanding(verdict, undefined)

    expect(core.error).toHaveBeenCalledTimes(9)
    expect(core.warning).toHaveBeenCalledTimes(8)
    expect(core.info).toHaveBeenCalledWith(
      '5 standing finding(s) are not annotated: GitHub shows 10 errors and 10 warnings per step. Left out:'
    )
    expect(core.info).toHaveBeenCalledWith('  critical src/f11.ts:11-12: Finding 11')
    expect(core.info).toHaveBeenCalledWith('  low src/f29.ts:29-30: Finding 29')
  })
})
