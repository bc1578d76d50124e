import { describe, expect, it } from '@jest/globals'
import { threadOf } from '../../__fixtures__/finding-threads.js'
import { CODE_GONE, findingKey, fingerprintCode } from '../../src/domain/markers.js'
import { carriedOver, dismisses, type EarlierFinding, locateCode, waiverOf } from '../../src/domain/standing.js'
import type { Person, ThreadedFinding } from '../../src/domain/thread.js'

/** A file of 200 lines, line n reading `const v<n> = <n>`. */
const FILE = Array.from({ length: 200 }, (_, i) => `const v${i + 1} = ${i + 1}`)
const posted = (startLine: number, endLine: number, lines = FILE) => ({
  startLine,
  endLine,
  codeFingerprint: fingerprintCode(lines.slice(startLine - 1, endLine))
})

describe('locateCode', () => {
  it('finds the code where it was, spacing aside', () => {
    const indented = FILE.map((line) => `    ${line}`)
    expect(locateCode(posted(40, 42), indented, 40)).toEqual({ startLine: 40, endLine: 42 })
  })

  it('follows code that moved, to the occurrence nearest where it was, within 50 lines', () => {
    const shifted = [...Array.from({ length: 30 }, () => '// added above'), ...FILE]
    expect(locateCode(posted(40, 42), shifted, 40)).toEqual({ startLine: 70, endLine: 72 })
    const twice = [...FILE.slice(0, 100), ...FILE.slice(38, 41), ...FILE.slice(100)]
    expect(locateCode(posted(39, 41), twice, 99)).toEqual({ startLine: 101, endLine: 103 })
    const far = [...Array.from({ length: 60 }, () => '// added above'), ...FILE]
    expect(locateCode(posted(40, 42), far, 40)).toBeUndefined()
  })

  it('knows the code changed when one line of its span did, and is gone with its file', () => {
    const edited = FILE.map((line, index) => (index === 40 ? 'const v41 = checked(41)' : line))
    expect(locateCode(posted(40, 42), edited, 40)).toBeUndefined()
    expect(locateCode(posted(40, 42), undefined, 40)).toBeUndefined()
  })

  it('keeps a finding posted where the head had no code (a deleted file) while those lines stay absent', () => {
    const gone = { startLine: 1, endLine: 1, codeFingerprint: CODE_GONE }
    expect(locateCode(gone, undefined, 1)).toEqual({ startLine: 1, endLine: 1 })
    expect(locateCode(gone, ['restored'], 1)).toBeUndefined()
  })
})

describe('dismisses', () => {
  it.each([
    "Won't fix: the input is trusted.",
    'wont fix',
    'False positive, the caller checks it.',
    'Dismissed.',
    'not a bug',
    'By design',
    'ignore this',
    '  WONTFIX'
  ])('takes "%s" as dismissing the finding', (reply) => {
    expect(dismisses(reply)).toBe(true)
  })

  it.each([
    'Why is this a problem?',
    'Is this a false positive?',
    'Fixed in the next commit.',
    'Dismissal would be wrong here',
    'ignored by the linter, but worth fixing'
  ])('takes "%s" as no dismissal', (reply) => {
    expect(dismisses(reply)).toBe(false)
  })
})

const maintainer: Person = { login: 'maintainer', bot: false, canWrite: true }
const author: Person = { login: 'author', bot: false, canWrite: false }
const bot: Person = { login: 'github-actions', bot: true, canWrite: false }

const thread = (state: Partial<ThreadedFinding> = {}) =>
  threadOf({ file: 'src/a.ts', startLine: 1, endLine: 1, severity: 'high', title: 'Bug', body: '' }, state)
const reply = (by: Person, body: string, byAction = false) => ({ author: by, body, url: 'r', createdAt: 't', byAction })

describe('waiverOf', () => {
  it('takes a resolution, a 👎 or a dismissing reply by someone with write access', () => {
    expect(waiverOf(thread({ isResolved: true, resolvedBy: maintainer }))).toEqual({
      how: 'resolved',
      by: 'maintainer'
    })
    expect(waiverOf(thread({ thumbsDown: [author, maintainer] }))).toEqual({ how: 'thumbs-down', by: 'maintainer' })
    expect(waiverOf(thread({ replies: [reply(maintainer, 'False positive: trusted input.')] }))).toEqual({
      how: 'reply',
      by: 'maintainer'
    })
  })

  it('takes none from the author without write access, from a bot, from the action’s own answer, nor from an argument', () => {
    expect(waiverOf(thread({ isResolved: true, resolvedBy: author, thumbsDown: [author] }))).toBeUndefined()
    expect(waiverOf(thread({ replies: [reply(author, "Won't fix.")] }))).toBeUndefined()
    expect(waiverOf(thread({ isResolved: true, resolvedBy: { ...bot } }))).toBeUndefined()
    // With a maintainer's own token, the action's answers are theirs: the marker tells them apart.
    expect(waiverOf(thread({ replies: [reply(maintainer, 'False positive, says the model.', true)] }))).toBeUndefined()
    expect(waiverOf(thread({ replies: [reply(maintainer, 'Why is this a problem?')] }))).toBeUndefined()
    // Unresolved again: the resolution no longer waives it.
    expect(waiverOf(thread({ isResolved: false, resolvedBy: maintainer }))).toBeUndefined()
  })
})

describe('carriedOver', () => {
  const earlier = (sticky: boolean, state: EarlierFinding['state']): EarlierFinding => ({
    posted: {
      key: findingKey({ file: 'src/a.ts', title: 'Old' }),
      startLine: 3,
      endLine: 4,
      severity: 'high',
      file: 'src/a.ts',
      title: 'Old',
      codeFingerprint: 'abcdefabcdefabcd'
    },
    url: 'u',
    sticky,
    state,
    place: { startLine: 13, endLine: 14 }
  })

  it("lists again the sticky comment's standing findings, where their code is now, unless this run posts them", () => {
    expect(carriedOver([earlier(true, 'stands')], [])).toEqual([
      {
        file: 'src/a.ts',
        title: 'Old',
        severity: 'high',
        body: '',
        startLine: 13,
        endLine: 14,
        codeFingerprint: 'abcdefabcdefabcd'
      }
    ])
    const again = { file: 'src/a.ts', title: 'old', severity: 'low', body: 'b', startLine: 13, endLine: 14 } as const
    expect(carriedOver([earlier(true, 'stands')], [again])).toEqual([])
    expect(carriedOver([earlier(false, 'stands'), earlier(true, 'fixed'), earlier(true, 'waived')], [])).toEqual([])
  })
})
