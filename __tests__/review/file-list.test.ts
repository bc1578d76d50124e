import { describe, expect, it } from '@jest/globals'
import { boundedFileList } from '../../src/review/file-list.js'

/** `count` paths spread over `directories` packages, each with a src/ folder. */
const paths = (count: number, directories: number) =>
  Array.from({ length: count }, (_, i) => `pkg-${String.fromCharCode(97 + (i % directories))}/src/file${i}.ts`)

describe('boundedFileList', () => {
  it('names every file when the list fits', () => {
    expect(boundedFileList(['a.ts', 'src/b.ts'], 1_000)).toBe('- a.ts\n- src/b.ts')
  })

  it('names files up to the limit, then counts the rest per directory, as deep as keeps them few', () => {
    const list = boundedFileList(paths(3000, 3), 1_000)
    expect(list.length).toBeLessThanOrEqual(1_000)
    const lines = list.split('\n')
    expect(lines[0]).toBe('- pkg-a/src/file0.ts')
    const named = lines.length - 1
    const rest = 3000 - named
    expect(lines.at(-1)).toMatch(new RegExp(`^- and ${rest.toLocaleString('en-US')} more: `))
    const counted = [...lines.at(-1)!.matchAll(/([\d,]+) in (pkg-\w\/src\/)/g)]
    expect(counted.map((match) => match[2]).sort()).toEqual(['pkg-a/src/', 'pkg-b/src/', 'pkg-c/src/'])
    expect(counted.reduce((sum, match) => sum + Number(match[1].replace(',', '')), 0)).toBe(rest)
  })

  it('counts by top directory when deeper ones are many, and sums what does not fit as elsewhere', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `${'d'.repeat(30)}${i % 40}/module${i}/x.ts`)
    const list = boundedFileList(many, 800)
    expect(list.length).toBeLessThanOrEqual(800)
    expect(list.split('\n').at(-1)).toMatch(/ in d{30}\d+\/, .* elsewhere$/)
  })

  it('stays within the limit when paths are very long', () => {
    const long = Array.from({ length: 50 }, (_, i) => `${'deep/'.repeat(200)}file${i}.ts`)
    const list = boundedFileList(long, 500)
    expect(list.length).toBeLessThanOrEqual(500)
    expect(list).toMatch(/^- 50 files/)
  })
})
