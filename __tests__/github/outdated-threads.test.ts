import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { postFinding, threadOf } from '../../__fixtures__/finding-threads.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { postedOf } from '../../src/domain/markers.js'
import type { EarlierFinding } from '../../src/domain/standing.js'
import type { Person, ThreadedFinding, ThreadReply } from '../../src/domain/thread.js'
import type { Finding } from '../../src/domain/finding.js'
import type { PullRequest } from '../../src/domain/pull-request.js'
import { readFindingThreads } from '../../src/github/finding-threads.js'
import { resolveOutdatedThreads, threadsToResolve } from '../../src/github/outdated-threads.js'
import type { EarlierFindings } from '../../src/github/standing.js'

function finding(title: string, lines: [number, number] = [2, 2]): Finding {
  const [startLine, endLine] = lines
  return { file: 'src/app.ts', startLine, endLine, severity: 'high', title, body: 'Why.', codeFingerprint: 'gone' }
}

const person = (login: string, bot = false): Person => ({ login, bot, canWrite: false })
const reply = (author: Person): ThreadReply => ({
  author,
  body: 'On purpose.',
  url: 'u',
  createdAt: 't',
  byAction: false
})

/** The thread this action opened for `posted`, outdated, open and unanswered unless `state` says otherwise. */
const thread = (posted: Finding, state: Partial<ThreadedFinding> = {}) =>
  threadOf(posted, { isOutdated: true, ...state })

/** What this run judged of `threads`: each `state` (fixed unless said). */
function judged(threads: ThreadedFinding[], state: EarlierFinding['state'] = 'fixed'): EarlierFindings {
  const findings = threads.flatMap((entry) => {
    const { finding: posted } = entry
    if (posted.severity === undefined || posted.file === undefined || posted.title === undefined) return []
    return [
      {
        posted: { ...posted, severity: posted.severity, file: posted.file, title: posted.title },
        url: entry.url,
        sticky: false,
        state
      }
    ]
  })
  return { findings, waivedKeys: [], threads }
}

const stale = finding('Parser drops the last token')

describe('threadsToResolve', () => {
  it('resolves an outdated thread this action opened, unanswered, whose code changed and whose finding this run did not find again', () => {
    const settled = thread(stale)
    expect(threadsToResolve(judged([settled]), [finding('Elsewhere', [30, 31])])).toEqual([settled])
  })

  it('takes replies by bots for no conversation', () => {
    const settled = thread(stale, { replies: [reply(person('coverage', true))] })
    expect(threadsToResolve(judged([settled]), [])).toEqual([settled])
  })

  it("resolves an older release's thread, whose code is not known, on the other conditions", () => {
    const older = thread(stale, { finding: { key: postedOf(stale).key, startLine: 2, endLine: 2 } })
    expect(threadsToResolve(judged([older]), [])).toEqual([older])
  })

  it.each([
    ['its finding still stands: its code is there, only its lines moved', judged([thread(stale)], 'stands')],
    ['a person waived it (the person closes it)', judged([thread(stale)], 'waived')],
    ['its code could not be read', judged([thread(stale)], 'unknown')],
    ['a human replied', judged([thread(stale, { replies: [reply(person('octocat'))] })])],
    ['it holds more comments than were read', judged([thread(stale, { truncated: true })])],
    ['it is not outdated', judged([thread(stale, { isOutdated: false })])],
    ['it is resolved already', judged([thread(stale, { isResolved: true })])]
  ])('leaves a thread alone when %s', (_case, earlier) => {
    expect(threadsToResolve(earlier, [])).toEqual([])
  })

  it('leaves a thread whose finding this run found again: same file and title, whatever its lines and wording case', () => {
    const again = { ...finding('parser  drops the LAST token', [9, 10]), severity: 'low' as const }
    expect(threadsToResolve(judged([thread(stale)]), [again])).toEqual([])
    expect(threadsToResolve(judged([thread(stale)]), [{ ...again, file: 'src/other.ts' }])).toHaveLength(1)
  })
})

// Against the fake GitHub: every query is validated against GitHub's schema.
describe('resolveOutdatedThreads', () => {
  const TOKEN = 'ghs_unitTestToken000000000000000000000000'
  let github: FakeGitHub
  const octokit = () => getOctokit(TOKEN, { baseUrl: github.url })
  const pullRequest = { owner: 'octo-org', repo: 'octo-repo', number: 7, headSha: 'b'.repeat(40) } as PullRequest

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN, pulls: [pullSeed()] })
  })
  afterEach(async () => {
    await github.close()
    expect(github.violations).toEqual([])
  })

  const postComment = (posted: Finding) => postFinding(github, posted)

  const earlierOnGitHub = async () => judged(await readFindingThreads(octokit(), pullRequest, fakeLogger()))
  const graphqlOperations = () =>
    github.requests.filter((request) => request.path === '/graphql').map((request) => request.operationId)

  it('resolves the settled threads and says how many', async () => {
    const settled = postComment(finding('Gone', [9, 9]))
    const answered = postComment(finding('Answered', [9, 9]))
    github.addReviewReply(answered.id, 'Intended.', 'octocat')
    const current = postComment(finding('Current'))
    const log = fakeLogger()

    await resolveOutdatedThreads(octokit(), await earlierOnGitHub(), [], log)

    expect([settled, answered, current].map((comment) => comment.resolved ?? false)).toEqual([true, false, false])
    expect(log.info).toHaveBeenCalledWith(
      'Resolved 1 outdated review thread(s) whose code changed, that nobody answered and this run did not find again.'
    )
    expect(log.warning).not.toHaveBeenCalled()
  })

  it("warns, naming the permission, when GitHub refuses to resolve, and leaves the review's outcome alone", async () => {
    const settled = postComment(finding('Gone', [9, 9]))
    postComment(finding('Also gone', [9, 9]))
    const earlier = await earlierOnGitHub()
    github.failNext('graphql/resolveReviewThread', { status: 403, message: 'Resource not accessible by integration' })
    const log = fakeLogger()

    await expect(resolveOutdatedThreads(octokit(), earlier, [], log)).resolves.toBeUndefined()

    expect(settled.resolved).toBeUndefined()
    expect(log.warning).toHaveBeenCalledWith(
      "GitHub refused to resolve an outdated review thread: Resource not accessible by integration. Resolving a review thread takes `contents: write` in the job's `permissions:`; or set `resolve-outdated: false`."
    )
    // The first refusal stops the others: they would be refused alike, and the next run tries again.
    expect(graphqlOperations()).toEqual(['graphql/repository', 'graphql/resolveReviewThread'])
    expect(log.info).toHaveBeenCalledWith(
      'Resolved 0 outdated review thread(s) whose code changed, that nobody answered and this run did not find again (2 left unresolved).'
    )
  })

  it('tries nothing when the token may not resolve threads, and says which permission it takes', async () => {
    await github.close()
    github = await startFakeGitHub({ token: TOKEN, pulls: [pullSeed()], tokenCanResolveThreads: false })
    postComment(finding('Gone', [9, 9]))
    const log = fakeLogger()

    await resolveOutdatedThreads(octokit(), await earlierOnGitHub(), [], log)

    expect(graphqlOperations()).toEqual(['graphql/repository'])
    expect(log.info).toHaveBeenCalledWith(expect.stringContaining('GitHub asks for `contents: write`'))
  })
})
