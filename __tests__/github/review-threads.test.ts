import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, type FakeReviewComment, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import type { Octokit } from '../../src/github/client.js'
import { findingMarker } from '../../src/domain/markers.js'
import { resolveOutdatedThreads } from '../../src/github/outdated-threads.js'
import type { PullRequest } from '../../src/domain/pull-request.js'
import { readReviewThreads, resolveReviewThread } from '../../src/github/review-threads.js'
import type { Finding } from '../../src/domain/finding.js'

// The GraphQL side of review threads, against the fake GitHub: every query is validated against GitHub's schema.

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
/** Line 2 of src/app.ts is in the diff; line 9 is not. */
const DIFF = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,3 +1,3 @@',
  ' line 1',
  '-line 2',
  '+line 2 changed',
  ' line 3',
  ''
].join('\n')

let github: FakeGitHub
let octokit: Octokit
let pullRequest: PullRequest
let nextId = 1

beforeEach(async () => {
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [pullSeed(DIFF)]
  })
  // Without the action's retries and pacing (one write a second), which the end-to-end tests run.
  octokit = getOctokit(TOKEN, { baseUrl: github.url })
  pullRequest = { owner: github.owner, repo: github.repo, number: 7 } as PullRequest
})

afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

function finding(title: string, line: number): Finding {
  return { file: 'src/app.ts', startLine: line, endLine: line, severity: 'high', title, body: 'Why.' }
}

/** A comment this action posted for `posted`, as the fake holds it. */
function postComment(posted: Finding): FakeReviewComment {
  const comment = {
    id: nextId++,
    reviewId: 1,
    pullNumber: 7,
    path: posted.file,
    line: posted.endLine,
    side: 'RIGHT',
    body: `**high** · ${posted.title}\n\n${findingMarker(posted)}`,
    commitId: 'b'.repeat(40),
    user: 'github-actions[bot]'
  }
  github.reviewComments.push(comment)
  return comment
}

function graphqlOperations(): Array<string | undefined> {
  return github.requests.filter((request) => request.path === '/graphql').map((request) => request.operationId)
}

describe('readReviewThreads', () => {
  it('reads every thread, 100 at a time, with its comments, their authors and whether it is outdated', async () => {
    for (let index = 0; index < 150; index++) postComment(finding(`Finding ${index}`, index % 2 ? 9 : 2))
    github.addReviewReply(github.reviewComments[3].id, 'On purpose.', 'octocat', 'MEMBER')

    const threads = await readReviewThreads(octokit, pullRequest)

    expect(graphqlOperations()).toEqual(['graphql/repository', 'graphql/repository'])
    expect(threads).toHaveLength(150)
    expect(threads.filter((thread) => thread.isOutdated)).toHaveLength(75)
    expect(threads[0]).toEqual({
      id: expect.any(String),
      isOutdated: false,
      isResolved: false,
      viewerCanResolve: true,
      comments: [{ body: expect.stringContaining('Finding 0'), byBot: true, byViewer: true }],
      truncated: false
    })
    expect(threads[3]).toMatchObject({
      isOutdated: true,
      comments: [
        { byBot: true, byViewer: true },
        { body: 'On purpose.', byBot: false, byViewer: false }
      ]
    })
  })

  it('marks a thread longer than it reads as truncated', async () => {
    const opened = postComment(finding('Long talk', 9))
    for (let index = 0; index < 25; index++) github.addReviewReply(opened.id, `Reply ${index}`, 'octocat')

    const [thread] = await readReviewThreads(octokit, pullRequest)

    expect(thread.comments).toHaveLength(20)
    expect(thread.truncated).toBe(true)
  })
})

describe('resolveReviewThread', () => {
  it('resolves the thread on GitHub', async () => {
    const opened = postComment(finding('Gone', 9))
    const [thread] = await readReviewThreads(octokit, pullRequest)

    await resolveReviewThread(octokit, thread.id)

    expect(opened.resolved).toBe(true)
    expect((await readReviewThreads(octokit, pullRequest))[0].isResolved).toBe(true)
  })
})

describe('resolveOutdatedThreads', () => {
  it('resolves the settled threads and says how many', async () => {
    const settled = postComment(finding('Gone', 9))
    const answered = postComment(finding('Answered', 9))
    github.addReviewReply(answered.id, 'Intended.', 'octocat')
    const current = postComment(finding('Current', 2))
    const log = fakeLogger()

    await resolveOutdatedThreads(octokit, pullRequest, [], log)

    expect([settled, answered, current].map((comment) => comment.resolved ?? false)).toEqual([true, false, false])
    expect(log.info).toHaveBeenCalledWith(
      'Resolved 1 outdated review thread(s) that nobody answered and this run did not find again.'
    )
    expect(log.warning).not.toHaveBeenCalled()
  })

  it("warns, naming the permission, when GitHub refuses to resolve, and leaves the review's outcome alone", async () => {
    const settled = postComment(finding('Gone', 9))
    postComment(finding('Also gone', 9))
    github.failNext('graphql/resolveReviewThread', { status: 403, message: 'Resource not accessible by integration' })
    const log = fakeLogger()

    await expect(resolveOutdatedThreads(octokit, pullRequest, [], log)).resolves.toBeUndefined()

    expect(settled.resolved).toBeUndefined()
    expect(log.warning).toHaveBeenCalledWith(
      "GitHub refused to resolve an outdated review thread: Resource not accessible by integration. Resolving a review thread takes `contents: write` in the job's `permissions:`; or set `resolve-outdated: false`."
    )
    // The first refusal stops the others: they would be refused alike, and the next run tries again.
    expect(graphqlOperations()).toEqual(['graphql/repository', 'graphql/resolveReviewThread'])
    expect(log.info).toHaveBeenCalledWith(
      'Resolved 0 outdated review thread(s) that nobody answered and this run did not find again (2 left unresolved).'
    )
  })

  it('warns when the threads cannot be read', async () => {
    postComment(finding('Gone', 9))
    github.failNext('graphql/repository', { status: 404, message: 'Could not resolve to a PullRequest' })
    const log = fakeLogger()

    await resolveOutdatedThreads(octokit, pullRequest, [], log)

    expect(log.warning).toHaveBeenCalledWith(
      'Could not read the review threads to resolve outdated ones: Could not resolve to a PullRequest.'
    )
    expect(github.reviewComments[0].resolved).toBeUndefined()
  })
})

describe("the fake GitHub's GraphQL API", () => {
  /** Sends `query` as octokit does, and takes back the violations it caused (afterEach expects none left). */
  async function refused(query: string, variables: Record<string, unknown> = {}): Promise<[string, string[]]> {
    const error = await octokit.graphql(query, variables).then(
      () => new Error('answered'),
      (failure: Error) => failure
    )
    return [error.message, github.violations.splice(0)]
  }

  it('refuses and records a query that does not fit GitHub’s schema', async () => {
    const [message, violations] = await refused(
      'query { repository(owner: "octo-org", name: "octo-repo") { pullRequest(number: 7) { reviewThreads(first: 10) { nodes { outdated } } } } }'
    )
    expect(message).toContain('Cannot query field "outdated" on type "PullRequestReviewThread"')
    expect(violations).toEqual([expect.stringContaining('Did you mean "isOutdated"?')])
  })

  it('refuses and records variables of the wrong type', async () => {
    const [message, violations] = await refused(
      'query($number: Int!) { repository(owner: "octo-org", name: "octo-repo") { pullRequest(number: $number) { id } } }',
      { number: 'seven' }
    )
    expect(message).toContain('Int cannot represent non-integer value: "seven"')
    expect(violations).toHaveLength(1)
  })

  it('refuses and records a connection without `first`, or asking for more than 100, as GitHub does', async () => {
    const threads = (page: string) =>
      `query { repository(owner: "octo-org", name: "octo-repo") { pullRequest(number: 7) { reviewThreads${page} { totalCount } } } }`
    expect(await refused(threads(''))).toEqual([
      expect.stringContaining('You must provide a `first` or `last` value'),
      [expect.stringContaining('reviewThreads')]
    ])
    expect(await refused(threads('(first: 101)'))).toEqual([
      expect.stringContaining('exceeds the `first` limit of 100 records'),
      [expect.stringContaining('reviewThreads')]
    ])
  })

  it('answers an unknown thread as GitHub does, which is no violation', async () => {
    const [message, violations] = await refused(
      'mutation { resolveReviewThread(input: { threadId: "PRRT_nope" }) { thread { id } } }'
    )
    expect(message).toContain("Could not resolve to a node with the global id of 'PRRT_nope'")
    expect(violations).toEqual([])
  })
})
