import { describe, expect, it } from '@jest/globals'
import { findingMarker } from '../../src/domain/markers.js'
import { threadsToResolve } from '../../src/github/outdated-threads.js'
import type { ReviewThread, ThreadComment } from '../../src/github/review-threads.js'
import type { Finding } from '../../src/domain/finding.js'

function finding(title: string, lines: [number, number] = [2, 2]): Finding {
  return { file: 'src/app.ts', startLine: lines[0], endLine: lines[1], severity: 'high', title, body: 'Why.' }
}

/** The inline comment this action posts for `posted`, as a bot. */
function opening(posted: Finding, author: Partial<ThreadComment> = {}): ThreadComment {
  return {
    body: `**high** · ${posted.title}\n\nWhy.\n\n${findingMarker(posted)}`,
    byBot: true,
    byViewer: true,
    ...author
  }
}

const human = (body = 'This is on purpose.'): ThreadComment => ({ body, byBot: false, byViewer: false })
const bot = (body = 'Coverage: 80 %'): ThreadComment => ({ body, byBot: true, byViewer: false })

function thread(comments: ThreadComment[], state: Partial<ReviewThread> = {}): ReviewThread {
  return {
    id: 'PRRT_1',
    isOutdated: true,
    isResolved: false,
    viewerCanResolve: true,
    comments,
    truncated: false,
    ...state
  }
}

const stale = finding('Parser drops the last token')
const elsewhere = finding('Unchecked index', [30, 31])

describe('threadsToResolve', () => {
  it('resolves an outdated thread this action opened, unanswered, whose finding this run did not find again', () => {
    const settled = thread([opening(stale)])
    expect(threadsToResolve([settled], [elsewhere])).toEqual([settled])
  })

  it('counts a thread opened with a personal token (the viewer, not a bot) as its own', () => {
    const settled = thread([opening(stale, { byBot: false, byViewer: true })])
    expect(threadsToResolve([settled], [])).toEqual([settled])
  })

  it('takes replies by bots for no conversation', () => {
    const settled = thread([opening(stale), bot()])
    expect(threadsToResolve([settled], [])).toEqual([settled])
  })

  it.each([
    ['a human replied', thread([opening(stale), human()])],
    ['the viewer replied by hand (a personal token)', thread([opening(stale), { ...human(), byViewer: true }])],
    ['it holds more comments than were read', thread([opening(stale)], { truncated: true })],
    ['it is not outdated', thread([opening(stale)], { isOutdated: false })],
    ['it is resolved already', thread([opening(stale)], { isResolved: true })],
    ['a person opened it', thread([human()])],
    ['a person opened it quoting the marker', thread([{ ...opening(stale), byBot: false, byViewer: false }])],
    ['a bot opened it without the marker', thread([bot()])],
    ['it has no comment left', thread([])]
  ])('leaves a thread alone when %s', (_case, untouched) => {
    expect(threadsToResolve([untouched], [])).toEqual([])
  })

  it('leaves a thread whose finding this run found again: same file and title, whatever its lines and wording case', () => {
    const again = { ...finding('parser  drops the LAST token', [9, 10]), severity: 'low' as const }
    expect(threadsToResolve([thread([opening(stale)])], [again])).toEqual([])
  })

  it('tells the same title in another file apart', () => {
    const settled = thread([opening(stale)])
    expect(threadsToResolve([settled], [{ ...stale, file: 'src/other.ts' }])).toEqual([settled])
  })

  it('picks the settled threads out of many', () => {
    const threads = [
      thread([opening(stale)], { id: 'resolve' }),
      thread([opening(elsewhere), human()], { id: 'answered' }),
      thread([opening(finding('Still there'))], { id: 'found again' })
    ]
    expect(threadsToResolve(threads, [finding('Still there', [12, 12])]).map((settled) => settled.id)).toEqual([
      'resolve'
    ])
  })
})
