import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { anchorFor, commentableLines, newSideHunks, placeFinding } from '../../src/diff/lines.js'
import { parseDiff } from '../../src/diff/parse.js'
import type { Finding } from '../../src/domain/finding.js'

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

describe('newSideHunks', () => {
  it('reads each hunk of a real multi-hunk diff, with the text of its new side', () => {
    const [file] = parseDiff(twoHunkDiff())
    // Hunk 1: context 4, changed 5, inserted 5b, context 6 -> new lines 4..7; hunk 2 is the context around the deleted old line 30 (new lines 30..31).
    expect(newSideHunks(file)).toEqual([
      { start: 4, end: 7, content: ['line 4', 'changed 5', 'inserted 5b', 'line 6'] },
      { start: 30, end: 31, content: ['line 29', 'line 31'] }
    ])
  })

  it('has no new side for a deleted file and one line for a one-line file without a newline at its end', () => {
    expect(lines.get('src/deleted.ts')).toEqual([])
    expect(lines.get('src/nonl.ts')).toEqual([{ start: 1, end: 1, content: ['no newline'] }])
    expect(lines.get('logo.png')).toEqual([])
  })

  it('follows a rename to its new path', () => {
    expect(lines.get('src/new-name.ts')).toEqual([
      { start: 1, end: 4, content: ['old content', 'to be renamed', 'third', 'fourth changed'] }
    ])
    expect(lines.has('src/old-name.ts')).toBe(false)
  })

  it('reads lines that look like headers as content, and a blank context line whose space was stripped', () => {
    expect(lines.get('src/tricky.txt')?.[0].content).toEqual(['--- not a header', '+++ also not'])
    const [file] = parseDiff('diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c')
    expect(newSideHunks(file)).toEqual([{ start: 1, end: 3, content: ['a', '', 'c'] }])
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

describe('placeFinding', () => {
  /** A new file of twelve lines: `const v1 = 1` to `const v12 = 12`, with `return v7` on line 7. */
  const code = Array.from({ length: 12 }, (_, i) => (i === 6 ? '  return v7' : `const v${i + 1} = ${i + 1}`))
  const newFile = commentableLines(
    parseDiff(
      `diff --git a/f.ts b/f.ts\nnew file mode 100644\n--- /dev/null\n+++ b/f.ts\n@@ -0,0 +1,12 @@\n${code.map((line) => `+${line}`).join('\n')}`
    )
  )
  const quoting = (quote: string, startLine: number, endLine = startLine): Finding => ({
    ...finding('f.ts', startLine, endLine),
    quote
  })

  it('leaves a finding on its lines when they read as it quotes', () => {
    expect(placeFinding(quoting('const v3 = 3', 3), newFile)).toEqual({
      finding: quoting('const v3 = 3', 3),
      anchor: { path: 'f.ts', line: 3 }
    })
  })

  it.each([1, 2, 3, -1, -3, 5])('moves a finding %i line(s) off onto the line it quotes, spacing aside', (off) => {
    const placed = placeFinding(quoting('return v7 ', 7 + off), newFile)
    expect(placed.finding.startLine).toBe(7)
    expect(placed.anchor).toEqual({ path: 'f.ts', line: 7 })
  })

  it('keeps the span of a range it moves', () => {
    expect(placeFinding(quoting('const v5 = 5', 3, 4), newFile)).toEqual({
      finding: quoting('const v5 = 5', 5, 6),
      anchor: { path: 'f.ts', line: 6, startLine: 5 }
    })
  })

  it('takes the nearest of several lines that read as quoted', () => {
    const braces = commentableLines(
      parseDiff('diff --git a/b.ts b/b.ts\n--- a/b.ts\n+++ b/b.ts\n@@ -1,6 +1,6 @@\n }\n x\n y\n }\n z\n-w\n+}')
    )
    expect(placeFinding({ ...finding('b.ts', 3), quote: '}' }, braces).finding.startLine).toBe(4)
  })

  it('lists a finding whose quote is nowhere near in the body, on the lines it gave', () => {
    // Line 12 reads so, but 8 lines away: too far to be a miscount.
    expect(placeFinding(quoting('const v12 = 12', 4), newFile)).toEqual({ finding: quoting('const v12 = 12', 4) })
    expect(placeFinding(quoting('const missing = 0', 4), newFile)).toEqual({
      finding: quoting('const missing = 0', 4)
    })
  })

  it('lists a moved range that runs past its hunk in the body, on the corrected lines', () => {
    expect(placeFinding(quoting('const v11 = 11', 9, 11), newFile)).toEqual({
      finding: quoting('const v11 = 11', 11, 13)
    })
  })

  it('takes a finding without a quote at its word, as before', () => {
    expect(placeFinding(finding('f.ts', 2), newFile)).toEqual({
      finding: finding('f.ts', 2),
      anchor: { path: 'f.ts', line: 2 }
    })
    expect(placeFinding(finding('f.ts', 13), newFile)).toEqual({ finding: finding('f.ts', 13), anchor: undefined })
  })
})
