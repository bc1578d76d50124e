import { describe, expect, it } from '@jest/globals'
import { type ConventionFile, describeConventions, fitConventions } from '../../src/conventions/budget.js'

const file = (path: string, text: string): ConventionFile => ({ path, source: 'agents-md', why: 'applies', text })
const lines = (count: number, width = 99) => Array.from({ length: count }, () => 'x'.repeat(width)).join('\n')

describe('fitConventions', () => {
  it('keeps files whole while they fit', () => {
    const files = [file('a/AGENTS.md', 'A'), file('AGENTS.md', 'B')]
    expect(fitConventions(files, { perFile: 100, total: 200 })).toEqual({ used: files, leftOut: [] })
  })

  it('cuts a file over the per-file limit at a line break and says from how much', () => {
    const { used } = fitConventions([file('AGENTS.md', lines(30))], { perFile: 1_050, total: 10_000 })
    expect(used[0].text).toBe(lines(10))
    expect(used[0].cutFrom).toBe(2_999)
  })

  it('cuts the file that meets the end of the total, and leaves out those that find too little room', () => {
    const near = file('src/AGENTS.md', lines(8))
    const middle = file('AGENTS.md', lines(8))
    const far = file('.github/copilot-instructions.md', lines(8))
    const fitted = fitConventions([near, middle, far], { perFile: 1_000, total: 1_300 })
    expect(fitted.used.map((used) => [used.path, used.text.length, used.cutFrom])).toEqual([
      ['src/AGENTS.md', 799, undefined],
      ['AGENTS.md', 499, 799]
    ])
    expect(fitted.leftOut).toEqual([{ path: '.github/copilot-instructions.md', chars: 799 }])
  })

  it('still fits a short file into the little room left', () => {
    const fitted = fitConventions([file('a', lines(9)), file('b', 'Tabs.')], { perFile: 1_000, total: 1_000 })
    expect(fitted.used.map((used) => used.path)).toEqual(['a', 'b'])
  })
})

describe('describeConventions', () => {
  it('names each file with why it applies, its cut, and the files left out', () => {
    expect(
      describeConventions({
        used: [
          { ...file('AGENTS.md', 'x'.repeat(10)), why: 'applies to every change' },
          { ...file('src/AGENTS.md', 'y'.repeat(16_000)), cutFrom: 20_000 }
        ],
        leftOut: [{ path: 'CLAUDE.md', chars: 3_000 }]
      })
    ).toEqual([
      'AGENTS.md (applies to every change)',
      'src/AGENTS.md (applies; cut to 16,000 of 20,000 characters)',
      'CLAUDE.md (left out: 3,000 characters past the 40,000 the conventions share)'
    ])
  })
})
