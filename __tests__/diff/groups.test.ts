import { describe, expect, it } from '@jest/globals'
import type { FileDiff } from '../../src/diff/parse.js'
import { type FileGroup, groupFiles, splitIntoParts } from '../../src/diff/groups.js'
import type { DiffSelection } from '../../src/diff/select.js'

/** A file that costs `chars` of budget: its text plus the joining newline. */
function file(path: string, chars: number): FileDiff {
  return { path, status: 'modified', binary: false, text: 'x'.repeat(chars - 1) }
}

const selection = (files: FileDiff[]): DiffSelection => ({
  files,
  leftOut: [{ path: 'yarn.lock', reason: 'excluded' }],
  text: files.map((entry) => entry.text).join('\n')
})

const paths = (groups: FileGroup[]) => groups.map((group) => group.files.map((f) => f.path))
const groupOf = (groups: FileGroup[], path: string) =>
  groups.findIndex((group) => group.files.some((f) => f.path === path))

/** A deterministic mix of nested directories and sizes, with one file larger than the budget of 5,000. */
function mixedChange(): FileDiff[] {
  let seed = 7
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
  const files = Array.from({ length: 300 }, (_, i) => {
    const depth = next() % 4
    const folders = Array.from({ length: depth }, (_, level) => `d${level}-${next() % 3}`)
    return file([...folders, `file${i}.ts`].join('/'), 50 + (next() % 900))
  })
  files.splice(120, 0, file('d0-1/huge.ts', 12_000))
  return files
}

describe('groupFiles', () => {
  it('gives no groups for no files', () => {
    expect(groupFiles([], 1000)).toEqual([])
  })

  it('keeps everything in one group, in input order, when it all fits', () => {
    const files = [file('src/b.ts', 100), file('README.md', 50), file('src/a.ts', 30)]
    expect(groupFiles(files, 180)).toEqual([{ files, chars: 180 }])
  })

  it('puts every file in exactly one group, in input order within it, with chars adding up', () => {
    const files = mixedChange()
    const groups = groupFiles(files, 5000)
    expect(groups.length).toBeGreaterThan(1)
    expect(groups.flatMap((group) => group.files).sort((a, b) => files.indexOf(a) - files.indexOf(b))).toEqual(files)
    const firstPositions = groups.map((group) => files.indexOf(group.files[0]))
    expect(firstPositions).toEqual([...firstPositions].sort((a, b) => a - b))
    for (const group of groups) {
      const positions = group.files.map((f) => files.indexOf(f))
      expect(positions).toEqual([...positions].sort((a, b) => a - b))
      expect(group.chars).toBe(group.files.reduce((sum, f) => sum + f.text.length + 1, 0))
    }
  })

  it('keeps every group within the budget, except an oversized file, which is alone', () => {
    const groups = groupFiles(mixedChange(), 5000)
    for (const group of groups) {
      if (group.chars > 5000) expect(paths([group])).toEqual([['d0-1/huge.ts']])
      else expect(group.chars).toBeLessThanOrEqual(5000)
    }
    expect(groups.some((group) => group.chars > 5000)).toBe(true)
  })

  it('uses as few groups as the budget needs, and spreads them evenly', () => {
    const files = Array.from({ length: 10 }, (_, i) => file(`dir${i}/index.ts`, 100))
    const groups = groupFiles(files, 300)
    expect(groups.map((group) => group.chars).sort()).toEqual([200, 200, 300, 300])
  })

  it('balances equal directories instead of filling one group first', () => {
    const files = ['a', 'b', 'c', 'd'].flatMap((dir) => [file(`${dir}/one.ts`, 50), file(`${dir}/two.ts`, 50)])
    const groups = groupFiles(files, 350)
    expect(groups.map((group) => group.chars)).toEqual([200, 200])
    expect(groups.map((group) => new Set(group.files.map((f) => f.path.split('/')[0])).size)).toEqual([2, 2])
  })

  it('spreads directories over the extra group when they do not fit around each other in the minimum', () => {
    const files = [file('a/x.ts', 60), file('b/x.ts', 60), file('c/x.ts', 30), file('d/x.ts', 30), file('e/x.ts', 20)]
    const groups = groupFiles(files, 100)
    expect(groups.map((group) => group.chars).sort()).toEqual([60, 60, 80])
  })

  it('keeps the files of a directory, subdirectories included, together when it fits, however the input interleaves them', () => {
    const files = [0, 1, 2].flatMap((i) => ['api', 'web', 'docs'].map((dir) => file(`${dir}/part${i}/file.ts`, 100)))
    const groups = groupFiles(files, 600)
    expect(groups).toHaveLength(2)
    for (const dir of ['api', 'web', 'docs']) {
      const homes = new Set(files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => groupOf(groups, f.path)))
      expect(homes.size).toBe(1)
    }
  })

  it('splits a directory larger than the budget by its subdirectories, keeping each of those together', () => {
    const files = [
      file('big/left/a.ts', 200),
      file('big/right/a.ts', 200),
      file('big/left/b.ts', 200),
      file('big/right/b.ts', 200),
      file('big/top.ts', 100),
      file('big/other.ts', 100)
    ]
    const groups = groupFiles(files, 500)
    expect(groups.length).toBeGreaterThan(1)
    expect(groupOf(groups, 'big/left/a.ts')).toBe(groupOf(groups, 'big/left/b.ts'))
    expect(groupOf(groups, 'big/right/a.ts')).toBe(groupOf(groups, 'big/right/b.ts'))
    expect(groupOf(groups, 'big/top.ts')).toBe(groupOf(groups, 'big/other.ts'))
  })

  it('splits a flat directory larger than the budget file by file', () => {
    const files = Array.from({ length: 6 }, (_, i) => file(`flat/file${i}.ts`, 100))
    const groups = groupFiles(files, 250)
    expect(groups.map((group) => group.files.length)).toEqual([2, 2, 2])
  })

  it('gives a file larger than the budget a group of its own', () => {
    const files = [file('src/a.ts', 100), file('src/huge.ts', 1000), file('src/b.ts', 100)]
    expect(paths(groupFiles(files, 300))).toEqual([['src/a.ts', 'src/b.ts'], ['src/huge.ts']])
  })

  it('gives the same groups for the same input', () => {
    const first = paths(groupFiles(mixedChange(), 5000))
    expect(paths(groupFiles(mixedChange(), 5000))).toEqual(first)
    expect(paths(groupFiles(mixedChange(), 3000))).not.toEqual(first)
  })
})

describe('splitIntoParts', () => {
  it('keeps a diff that fits in one part, as it is', () => {
    const diff = selection([file('a/x.ts', 100), file('b/y.ts', 100)])
    expect(splitIntoParts(diff, 10_000)).toEqual([diff])
  })

  it('splits a larger one into parts within the budget, each with the whole list of what was left out', () => {
    const diff = selection([file('a/x.ts', 900), file('a/y.ts', 900), file('b/z.ts', 900)])
    const parts = splitIntoParts(diff, 2_000)
    expect(parts.length).toBeGreaterThan(1)
    expect(parts.flatMap((part) => part.files.map((entry) => entry.path)).sort()).toEqual([
      'a/x.ts',
      'a/y.ts',
      'b/z.ts'
    ])
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(2_000)
      expect(part.text).toBe(part.files.map((entry) => entry.text).join('\n'))
      expect(part.leftOut).toEqual(diff.leftOut)
    }
  })
})
