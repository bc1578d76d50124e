import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { type FileDiff, parseDiff } from '../../src/diff/parse.js'
import { isExcluded, selectDiff } from '../../src/diff/select.js'

const realWorld = readFileSync(new URL('../../__fixtures__/real-world.diff', import.meta.url), 'utf8')

function byPath(files: FileDiff[]): Record<string, FileDiff> {
  return Object.fromEntries(files.map((file) => [file.path, file]))
}

describe('parseDiff', () => {
  const files = parseDiff(realWorld)
  const file = byPath(files)

  it('splits a git diff into one entry per file, in order', () => {
    expect(files.map((f) => f.path)).toEqual([
      'docs/café.md',
      'docs/windows.txt',
      'docs/with space.md',
      'logo.png',
      'package-lock.json',
      'src/deleted.ts',
      'src/keep.ts',
      'src/new-name.ts',
      'src/nonl.ts',
      'src/tricky.txt'
    ])
  })

  it('decodes quoted unicode paths', () => {
    expect(file['docs/café.md']).toMatchObject({ status: 'added' })
    expect(file['docs/café.md'].text).toContain('日本語')
  })

  it('reads renames, deletions and additions', () => {
    expect(file['src/new-name.ts']).toMatchObject({ status: 'renamed' })
    expect(file['src/deleted.ts']).toMatchObject({ status: 'deleted' })
    expect(file['src/keep.ts']).toMatchObject({ status: 'modified' })
  })

  it('marks binary files', () => {
    expect(file['logo.png'].binary).toBe(true)
    expect(files.filter((f) => f.binary).map((f) => f.path)).toEqual(['logo.png'])
  })

  it('keeps CRLF content intact and counts its lines', () => {
    expect(file['docs/windows.txt']).toMatchObject({ status: 'modified' })
    expect(file['docs/windows.txt'].text).toContain('+B\r\n')
  })

  it('handles paths with spaces and the tab git appends to them', () => {
    expect(file['docs/with space.md']).toMatchObject({ status: 'modified' })
  })

  it('takes content lines that look like headers as content', () => {
    expect(file['src/tricky.txt']).toMatchObject({ status: 'added' })
    expect(file['src/nonl.ts']).toMatchObject({ status: 'added' })
  })

  it('reproduces the input when the sections are joined', () => {
    expect(files.map((f) => f.text).join('\n') + '\n').toBe(realWorld)
  })

  it('reads a pure rename, which has no --- or +++ lines', () => {
    const [rename] = parseDiff(
      'diff --git a/a/x.ts b/b/y.ts\nsimilarity index 100%\nrename from a/x.ts\nrename to b/y.ts\n'
    )
    expect(rename).toMatchObject({ path: 'b/y.ts', status: 'renamed', binary: false })
  })

  it('returns nothing for an empty diff', () => {
    expect(parseDiff('')).toEqual([])
  })
})

describe('isExcluded', () => {
  it('matches bare names in any folder and paths from the root', () => {
    expect(isExcluded('web/package-lock.json', ['package-lock.json'])).toBe(true)
    expect(isExcluded('dist/app.js', ['dist/**'])).toBe(true)
    expect(isExcluded('src/dist/app.js', ['dist/**'])).toBe(false)
    expect(isExcluded('src/app.js', ['*.min.js'])).toBe(false)
  })

  it('lets a later negated pattern bring a file back', () => {
    expect(isExcluded('Cargo.lock', ['Cargo.lock', '!Cargo.lock'])).toBe(false)
    expect(isExcluded('a/b.snap', ['!a/b.snap', '*.snap'])).toBe(true)
  })

  it('matches dotfiles', () => {
    expect(isExcluded('.github/generated.yml', ['.github/**'])).toBe(true)
  })
})

describe('selectDiff', () => {
  const files = parseDiff(realWorld)

  it('leaves out lockfiles and binaries by default and says why', () => {
    const selection = selectDiff(files, { exclude: [], maxChars: 1_000_000, maxFileChars: 1_000_000 })
    expect(selection.leftOut).toEqual([
      { path: 'logo.png', reason: 'binary' },
      { path: 'package-lock.json', reason: 'excluded' }
    ])
    expect(selection.files).toHaveLength(8)
    expect(selection.text).not.toContain('lockfileVersion')
    expect(selection.text).toContain('+line2 changed')
  })

  it('applies user patterns after the defaults', () => {
    const selection = selectDiff(files, {
      exclude: ['docs/**', '!package-lock.json'],
      maxChars: 1_000_000,
      maxFileChars: 1_000_000
    })
    expect(selection.leftOut.map((f) => f.path)).toEqual([
      'docs/café.md',
      'docs/windows.txt',
      'docs/with space.md',
      'logo.png'
    ])
    expect(selection.files.map((f) => f.path)).toContain('package-lock.json')
  })

  it('keeps whole files within the budget and lists the rest', () => {
    const big: FileDiff = { path: 'big.ts', status: 'modified', binary: false, text: 'x'.repeat(5000) }
    const small: FileDiff = { path: 'small.ts', status: 'modified', binary: false, text: 'y'.repeat(100) }
    const selection = selectDiff([big, small], { exclude: [], maxChars: 1000, maxFileChars: 10_000 })
    expect(selection.files.map((f) => f.path)).toEqual(['small.ts'])
    expect(selection.leftOut).toEqual([{ path: 'big.ts', reason: 'over-budget' }])
    expect(selection.text.length).toBeLessThanOrEqual(1000)
  })

  it('leaves out a file larger than one session reviews, and keeps going', () => {
    const sized = (path: string, size: number): FileDiff => ({
      path,
      status: 'added',
      binary: false,
      text: 'x'.repeat(size)
    })
    const options = { exclude: [], maxChars: 1_000_000, maxFileChars: 2000 }
    const selection = selectDiff([sized('generated.ts', 2001), sized('small.ts', 2000)], options)
    expect(selection.leftOut).toEqual([{ path: 'generated.ts', reason: 'oversized' }])
    expect(selection.text).toBe(sized('small.ts', 2000).text)
  })

  it('never goes over the budget, counting the joins', () => {
    const tenFiles = Array.from({ length: 10 }, (_, i): FileDiff => ({
      path: `f${i}`,
      status: 'modified',
      binary: false,
      text: 'z'.repeat(99)
    }))
    const selection = selectDiff(tenFiles, { exclude: [], maxChars: 500, maxFileChars: 10_000 })
    expect(selection.files).toHaveLength(5)
    expect(selection.text.length).toBeLessThanOrEqual(500)
  })

  it('lists a file without a patch as not shown', () => {
    const noPatch: FileDiff = { path: 'huge.sql', status: 'modified', binary: false, text: '' }
    expect(selectDiff([noPatch], { exclude: [], maxChars: 1000, maxFileChars: 10_000 }).leftOut).toEqual([
      { path: 'huge.sql', reason: 'no-patch' }
    ])
  })
})
