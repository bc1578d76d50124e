import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { anchorFor, commentableLines, newSideRanges } from '../../src/diff/lines.js'
import { parseDiff } from '../../src/diff/parse.js'
import type { Finding } from '../../src/review/findings.js'

const realWorld = parseDiff(readFileSync(new URL('../../__fixtures__/real-world.diff', import.meta.url), 'utf8'))
const lines = commentableLines(realWorld)

/** A real `git diff` of a 40-line file with line 5 replaced by two and line 30 deleted, with one line of context: two hunks. */
function twoHunkDiff(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'diff-lines-'))
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' })
  try {
    const original = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`)
    writeFileSync(path.join(dir, 'file.ts'), original.join('\n') + '\n')
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'base')
    const edited = [...original]
    edited.splice(4, 1, 'changed 5', 'inserted 5b')
    edited.splice(30, 1)
    writeFileSync(path.join(dir, 'file.ts'), edited.join('\n') + '\n')
    return git('diff', '-U1')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const finding = (file: string, startLine: number, endLine = startLine): Finding => ({
  file,
  startLine,
  endLine,
  severity: 'medium',
  title: 't',
  body: ''
})

describe('newSideRanges', () => {
  it('reads each hunk of a real multi-hunk diff', () => {
    const [file] = parseDiff(twoHunkDiff())
    // Hunk 1: context 4, changed 5, inserted 5b, context 6 -> new lines 4..7; hunk 2 is the context around the deleted old line 30 (new lines 30..31).
    expect(newSideRanges(file)).toEqual([
      { start: 4, end: 7 },
      { start: 30, end: 31 }
    ])
  })

  it('has no new side for a deleted file and one line for a one-line file without a newline at its end', () => {
    expect(lines.get('src/deleted.ts')).toEqual([])
    expect(lines.get('src/nonl.ts')).toEqual([{ start: 1, end: 1 }])
    expect(lines.get('logo.png')).toEqual([])
  })

  it('follows a rename to its new path', () => {
    expect(lines.get('src/new-name.ts')).toEqual([{ start: 1, end: 4 }])
    expect(lines.has('src/old-name.ts')).toBe(false)
  })
})

describe('anchorFor', () => {
  const twoHunks = commentableLines(parseDiff(twoHunkDiff()))

  it('anchors one line on the RIGHT side, without a start line', () => {
    expect(anchorFor(finding('file.ts', 5), twoHunks)).toEqual({ path: 'file.ts', line: 5 })
  })

  it('anchors a range inside one hunk with its start line', () => {
    expect(anchorFor(finding('file.ts', 4, 7), twoHunks)).toEqual({ path: 'file.ts', line: 7, startLine: 4 })
  })

  it('refuses lines outside every hunk, ranges across two hunks, and ranges running past a hunk', () => {
    expect(anchorFor(finding('file.ts', 20), twoHunks)).toBeUndefined()
    expect(anchorFor(finding('file.ts', 5, 31), twoHunks)).toBeUndefined()
    expect(anchorFor(finding('file.ts', 6, 9), twoHunks)).toBeUndefined()
  })

  it('refuses files that are not in the diff, deleted files and old names of renamed files', () => {
    expect(anchorFor(finding('src/elsewhere.ts', 1), lines)).toBeUndefined()
    expect(anchorFor(finding('src/deleted.ts', 1), lines)).toBeUndefined()
    expect(anchorFor(finding('src/old-name.ts', 1), lines)).toBeUndefined()
    expect(anchorFor(finding('src/new-name.ts', 2), lines)).toEqual({ path: 'src/new-name.ts', line: 2 })
    expect(anchorFor(finding('src/nonl.ts', 1, 2), lines)).toBeUndefined()
  })
})
