import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { READ_ONLY_PERMISSION } from '../../src/opencode/config.js'
import { parseReadRules } from '../../src/search/read-rules.js'
import { SEARCH_LIMITS, searchWorkspace } from '../../src/search/search.js'
import type { SearchRequest } from '../../src/search/request.js'

const rules = parseReadRules(JSON.stringify(READ_ONLY_PERMISSION.read))
let parent: string
let repository: string
let folder: string

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
  writeFileSync(path.join(root, file), text)
}

/** Files every workspace holds: code with callers, secrets the reviewer may not read, links out. */
function fill(root: string): void {
  write(root, 'src/diff.ts', 'export function parseDiff(text: string) {\n  return text\n}\n')
  write(root, 'src/review.ts', "import { parseDiff } from './diff.js'\nconst files = parseDiff(raw)\n")
  write(root, 'src/pattern.md', 'a.b matches axb as a regular expression\n')
  write(root, 'lib/util.js', 'parseDiff(other)\n')
  write(root, '.env.example', 'TOKEN=placeholder-secret\n')
  write(root, 'config/prod.env', 'TOKEN=tracked-env-secret\n')
  write(path.dirname(root), 'outside/notes.txt', 'outside-secret\n')
  symlinkSync('../../outside/notes.txt', path.join(root, 'src/notes.txt'))
  symlinkSync('../outside', path.join(root, 'linked'))
}

beforeAll(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'search-'))
  repository = path.join(parent, 'repository')
  fill(repository)
  execFileSync('git', ['init', '-q', repository])
  execFileSync('git', ['-C', repository, 'config', 'remote.origin.url', 'https://git-config-secret@example.com/x'])
  execFileSync('git', ['-C', repository, 'add', '-A'])
  // Made after `git add`: untracked, and a tracked directory swapped for a link out.
  write(repository, '.env', 'TOKEN=untracked-env-secret\n')
  write(repository, 'untracked.ts', 'parseDiff(untracked)\n')
  rmSync(path.join(repository, 'lib'), { recursive: true })
  write(parent, 'elsewhere/util.js', 'parseDiff(swapped-secret)\n')
  symlinkSync('../elsewhere', path.join(repository, 'lib'))
  // A snapshot: a plain folder with no .git.
  folder = path.join(parent, 'folder')
  fill(folder)
})

afterAll(() => rmSync(parent, { recursive: true, force: true }))

const search = (request: SearchRequest, limits = SEARCH_LIMITS, root = repository) =>
  searchWorkspace(root, rules, request, limits)

describe('searching a git repository', () => {
  it('answers path:line: text for each match in the files git tracks', async () => {
    expect(await search({ pattern: 'parseDiff\\(' })).toBe(
      [
        'src/diff.ts:1: export function parseDiff(text: string) {',
        'src/review.ts:2: const files = parseDiff(raw)'
      ].join('\n')
    )
  })

  it('says so when nothing matches', async () => {
    expect(await search({ pattern: 'nowhere to be found' })).toBe('No matches.')
  })

  it('caps the matches and the line length, and ends with a line saying what was cut', async () => {
    const answer = await search({ pattern: 'parseDiff' }, { ...SEARCH_LIMITS, maxMatches: 2, maxLineChars: 20 })
    expect(answer.split('\n')).toEqual([
      'src/diff.ts:1: export function pars…',
      'src/review.ts:1: import { parseDiff }…',
      '[Only the first 2 matches are shown: narrow the pattern or the glob to see others. 2 of the lines were cut after 20 characters (ending in …).]'
    ])
  })

  it('takes the pattern as a regular expression, or as text when literal', async () => {
    expect(await search({ pattern: 'a.b', glob: '*.md' })).toContain('src/pattern.md:1:')
    expect(await search({ pattern: 'axb|a\\.c', glob: '*.md' })).toContain('src/pattern.md:1:')
    expect(await search({ pattern: 'a.c', literal: true })).toBe('No matches.')
    expect(await search({ pattern: 'text: string)', literal: true })).toBe(
      'src/diff.ts:1: export function parseDiff(text: string) {'
    )
    expect(await search({ pattern: 'PARSEDIFF(RAW)', literal: true, ignoreCase: true })).toBe(
      'src/review.ts:2: const files = parseDiff(raw)'
    )
  })

  it('searches only the files a glob names: a name at any depth, or a path', async () => {
    expect(await search({ pattern: 'parseDiff', glob: 'review.ts' })).toMatch(/^(src\/review\.ts:\d: .*\n?){2}$/)
    expect(await search({ pattern: 'return', glob: 'src/**' })).toBe('src/diff.ts:2:   return text')
    expect(await search({ pattern: 'return', glob: 'src' })).toBe('src/diff.ts:2:   return text')
    expect(await search({ pattern: 'return', glob: 'lib/**' })).toBe('No matches.')
  })

  it('shows nothing of .env files, tracked or not, only .env.example', async () => {
    expect(await search({ pattern: 'secret' })).toBe('.env.example:1: TOKEN=placeholder-secret')
    expect(await search({ pattern: 'TOKEN', glob: '*.env' })).toBe('No matches.')
  })

  it('shows nothing of .git/, of untracked files, or through links', async () => {
    for (const pattern of ['git-config-secret', 'untracked', 'outside-secret', 'swapped-secret']) {
      expect(await search({ pattern })).toBe('No matches.')
    }
    expect(await search({ pattern: 'url', glob: '.git/*' })).toBe('No matches.')
    expect(await search({ pattern: 'secret', glob: 'linked/**' })).toBe('No matches.')
  })

  it('refuses a glob that leads out of the workspace', async () => {
    await expect(search({ pattern: 'secret', glob: path.join(parent, 'outside/*') })).rejects.toThrow(
      /is an absolute path: only the workspace is searched/
    )
    await expect(search({ pattern: 'secret', glob: '../outside/*' })).rejects.toThrow(/climbs out with '\.\.'/)
    await expect(search({ pattern: 'secret', glob: 'src/../../outside/*' })).rejects.toThrow(/climbs out/)
  })

  it('explains a pattern git cannot read', async () => {
    await expect(search({ pattern: 'parseDiff(' })).rejects.toThrow(/The search failed: .*pass literal: true/s)
  })
})

describe('patterns that would take too long', () => {
  it('stops a pattern that backtracks, promptly, and says why', async () => {
    const root = path.join(parent, 'slow')
    write(root, 'line.txt', `${'a'.repeat(200_000)}!\n`)
    const answer = await search({ pattern: '(a+)+$' }, { ...SEARCH_LIMITS, timeLimitMs: 500 }, root)
    expect(answer).toMatch(/^\[The search stopped after 0\.5 s, before it had looked through every file: no match/)
  })

  it('refuses back-references and counted repetitions that multiply, before searching', async () => {
    await expect(search({ pattern: '(a*)*\\1' })).rejects.toThrow(/Back-references .* are not supported/)
    await expect(search({ pattern: '((a{1,100}){1,100}){1,100}' })).rejects.toThrow(
      /allow 1000000 repeats multiplied together, more than 1000/
    )
    // Escaped, a backslash and a digit are text; literal text is never a regular expression.
    expect(await search({ pattern: '\\\\1' })).toBe('No matches.')
    expect(await search({ pattern: '(a{1,100}){1,100}\\1', literal: true })).toBe('No matches.')
  })

  it('refuses an empty or multi-line pattern', async () => {
    await expect(search({ pattern: '' })).rejects.toThrow(/The pattern is empty/)
    await expect(search({ pattern: 'a\nb' })).rejects.toThrow(/matches within one line/)
  })
})

describe('searching a folder that is no repository (the snapshot)', () => {
  it('searches its files, without .env files or links', async () => {
    expect(await search({ pattern: 'parseDiff|secret' }, SEARCH_LIMITS, folder)).toBe(
      [
        '.env.example:1: TOKEN=placeholder-secret',
        'lib/util.js:1: parseDiff(other)',
        'src/diff.ts:1: export function parseDiff(text: string) {',
        "src/review.ts:1: import { parseDiff } from './diff.js'",
        'src/review.ts:2: const files = parseDiff(raw)'
      ].join('\n')
    )
  })

  it('never searches a folder that holds the home or the temporary folder', async () => {
    await expect(search({ pattern: 'x' }, SEARCH_LIMITS, path.dirname(os.tmpdir()))).rejects.toThrow(
      /holds .*, which is never searched/
    )
  })
})
