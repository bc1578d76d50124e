import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, type FakeReviewComment, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import type { Octokit } from '../../src/github/client.js'
import type { FindingThread } from '../../src/domain/thread.js'
import { postReply, readExcerpt, readFindingThread } from '../../src/github/comment-thread.js'
import { findingMarker } from '../../src/domain/markers.js'
import type { PullRequestRef } from '../../src/domain/pull-request.js'

// Threads of the action's findings, read from and answered on the fake GitHub, which checks every call against GitHub's description.

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
const HEAD = 'b'.repeat(40)
/** Lines 1 to 4 of src/app.ts are in the diff; line 40 is not. */
const APP = Array.from({ length: 100 }, (_, index) => `line ${index + 1}`).join('\n')
const ref: PullRequestRef = { owner: 'octo-org', repo: 'octo-repo', number: 7 }

let github: FakeGitHub
let octokit: Octokit
let nextId = 100

beforeEach(async () => {
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [pullSeed()],
    filesAt: { [HEAD]: { 'src/app.ts': APP } }
  })
  octokit = getOctokit(TOKEN, { baseUrl: github.url })
})

afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

/** A comment opening a thread on `line`: the action's finding unless `user` says otherwise. */
function opening(line: number, body: string, user = 'github-actions[bot]', association = 'NONE'): FakeReviewComment {
  const comment = {
    id: nextId++,
    reviewId: 1,
    pullNumber: 7,
    path: 'src/app.ts',
    line,
    side: 'RIGHT',
    body,
    commitId: HEAD,
    user,
    association
  }
  github.reviewComments.push(comment)
  return comment
}

const finding = { file: 'src/app.ts', startLine: 2, endLine: 2, severity: 'high', title: 'Bad', body: 'Why.' } as const
/** A thread on `startLine`-`endLine` of `path` at the head. */
function thread(startLine: number, endLine: number, path = 'src/app.ts', rootId = 1): FindingThread {
  return { rootId, path, startLine, endLine, commit: HEAD, finding: '', replies: [], earlierReplies: 0 }
}

const marked = `**high** · Bad\n\nWhy.\n\n${findingMarker(finding)}`

describe('readFindingThread', () => {
  it("reads the finding and the replies before the question, without the action's markers", async () => {
    const root = opening(2, marked)
    github.addReviewReply(root.id, 'Not sure.', 'octocat', 'MEMBER')
    const question = github.addReviewReply(root.id, '/review why?', 'octocat', 'MEMBER')
    github.addReviewReply(root.id, 'A later reply.', 'someone')

    const thread = await readFindingThread(octokit, ref, root.id, question.id)

    expect(thread).toEqual({
      rootId: root.id,
      path: 'src/app.ts',
      startLine: 2,
      endLine: 2,
      commit: HEAD,
      finding: '**high** · Bad\n\nWhy.',
      replies: [{ author: 'octocat', body: 'Not sure.' }],
      earlierReplies: 0
    })
  })

  it('finds the thread from a reply that points at another reply', async () => {
    const root = opening(2, marked)
    const reply = github.addReviewReply(root.id, 'Hmm.', 'octocat')
    const question = github.addReviewReply(root.id, '/review', 'octocat')
    expect((await readFindingThread(octokit, ref, reply.id, question.id))?.rootId).toBe(root.id)
  })

  it('keeps the latest 20 replies of a long thread and counts the others', async () => {
    const root = opening(2, marked)
    for (let index = 1; index <= 25; index++) github.addReviewReply(root.id, `reply ${index}`, 'octocat')
    const question = github.addReviewReply(root.id, '/review', 'octocat')
    const thread = await readFindingThread(octokit, ref, root.id, question.id)
    expect(thread?.earlierReplies).toBe(5)
    expect(thread?.replies.map((reply) => reply.body)).toEqual(
      Array.from({ length: 20 }, (_, index) => `reply ${index + 6}`)
    )
  })

  it("sees no finding thread in a person's comment, a forged marker in an outsider's, or a bot comment without a marker", async () => {
    const person = opening(2, 'Why this?', 'octocat', 'MEMBER')
    const forged = opening(2, marked, 'visitor', 'NONE')
    const unmarked = opening(2, 'A linter says hi.', 'lint-bot[bot]')
    for (const root of [person, forged, unmarked]) {
      const question = github.addReviewReply(root.id, '/review', 'octocat', 'MEMBER')
      expect(await readFindingThread(octokit, ref, root.id, question.id)).toBeUndefined()
    }
  })

  it('places an outdated thread on its original lines', async () => {
    const root = opening(40, marked)
    const question = github.addReviewReply(root.id, '/review', 'octocat')
    expect(await readFindingThread(octokit, ref, root.id, question.id)).toMatchObject({
      startLine: 40,
      endLine: 40,
      commit: HEAD
    })
  })
})

describe('readExcerpt', () => {
  it('numbers 30 lines each side of the finding, read at its commit', async () => {
    const excerpt = await readExcerpt(octokit, ref, thread(50, 52))
    expect(excerpt).toMatchObject({ firstLine: 20, lastLine: 82 })
    const text = typeof excerpt === 'string' ? excerpt : excerpt.text
    expect(text.split('\n')[0]).toBe('20  line 20')
    expect(text.split('\n').at(-1)).toBe('82  line 82')
    const read = github.requests.find((request) => request.operationId === 'repos/get-content')
    expect(read?.query.ref).toBe(HEAD)
  })

  it('stops at the ends of the file', async () => {
    expect(await readExcerpt(octokit, ref, thread(2, 2))).toMatchObject({ firstLine: 1, lastLine: 32 })
    expect(await readExcerpt(octokit, ref, thread(99, 100))).toMatchObject({ firstLine: 69, lastLine: 100 })
  })

  it('says why instead of failing when the file or the lines are not there', async () => {
    expect(await readExcerpt(octokit, ref, thread(2, 2, 'src/gone.ts'))).toBe(
      `src/gone.ts is not in commit ${HEAD.slice(0, 7)}`
    )
    expect(await readExcerpt(octokit, ref, thread(120, 120))).toBe(
      `src/app.ts has only 100 lines in commit ${HEAD.slice(0, 7)}`
    )
    github.failNext('repos/get-content', { status: 403, message: 'Resource not accessible by integration' })
    expect(await readExcerpt(octokit, ref, thread(2, 2))).toBe('src/app.ts could not be read (GitHub answered 403)')
  })
})

describe('postReply', () => {
  it('answers in the thread, as a reply to the comment that opened it', async () => {
    const root = opening(2, marked)
    const reply = await postReply(octokit, ref, thread(2, 2, 'src/app.ts', root.id), 'Because.')
    expect(github.reviewComments.at(-1)).toMatchObject({ id: reply.id, inReplyTo: root.id, body: 'Because.' })
    expect(reply.url).toBe(`https://github.com/octo-org/octo-repo/pull/7#discussion_r${reply.id}`)
  })

  it('explains a refusal', async () => {
    const root = opening(2, marked)
    github.failNext('pulls/create-reply-for-review-comment', {
      status: 403,
      message: 'Resource not accessible by integration'
    })
    await expect(postReply(octokit, ref, thread(2, 2, 'src/app.ts', root.id), 'Because.')).rejects.toThrow(
      /Could not answer in the review thread on pull request #7: GitHub answered 403/
    )
  })
})
