import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { postFinding } from '../../__fixtures__/finding-threads.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import type { Octokit } from '../../src/github/client.js'
import { findingKey, MARKER } from '../../src/domain/markers.js'
import type { PullRequest } from '../../src/domain/pull-request.js'
import { readFindingThreads } from '../../src/github/finding-threads.js'
import type { Finding } from '../../src/domain/finding.js'

// The threads of the action's findings and what people did in them, read against the fake GitHub:
// every GraphQL query is validated against GitHub's schema, every REST call against its description.

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
const HEAD = 'b'.repeat(40)
let github: FakeGitHub
let octokit: Octokit
const pullRequest = { owner: 'octo-org', repo: 'octo-repo', number: 7, headSha: HEAD } as PullRequest

beforeEach(async () => {
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [pullSeed()],
    permissions: { maintainer: 'maintain', admin: 'admin', author: 'read' }
  })
  octokit = getOctokit(TOKEN, { baseUrl: github.url })
})

afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

function finding(title: string, line: number, severity: Finding['severity'] = 'high'): Finding {
  return { file: 'src/app.ts', startLine: line, endLine: line, severity, title, body: 'Why.', codeFingerprint: 'gone' }
}

function permissionLookups(): string[] {
  return github.requests
    .filter((request) => request.operationId === 'repos/get-collaborator-permission-level')
    .map((request) => request.path.split('/')[5])
}

describe('readFindingThreads', () => {
  it("reads each finding's thread: the finding as its marker records it, who resolved it, who reacted 👎, the replies, and each person's write access", async () => {
    const posted = finding('Unchecked input', 2, 'critical')
    const opening = postFinding(github, posted)
    github.addReviewReply(opening.id, 'Why is this a problem?', 'author', 'CONTRIBUTOR')
    // The action's own answer to a question in the thread.
    github.addReviewReply(opening.id, `/review why?`, 'maintainer', 'MEMBER')
    const answer = github.reviewComments.find((comment) => comment.id === opening.id)!
    github.reviewComments.push({
      ...answer,
      id: opening.id + 1000,
      body: `Because.\n\n${MARKER}`,
      inReplyTo: opening.id
    })
    github.react(opening.id, '-1', 'author')
    github.react(opening.id, '-1', 'maintainer')
    github.react(opening.id, '+1', 'admin')
    github.resolveThread(opening.id, 'maintainer')

    const [thread, ...others] = await readFindingThreads(octokit, pullRequest, fakeLogger())

    expect(others).toEqual([])
    expect(thread).toEqual({
      finding: {
        key: findingKey(posted),
        startLine: 2,
        endLine: 2,
        severity: 'critical',
        file: 'src/app.ts',
        title: 'Unchecked input',
        codeFingerprint: 'gone'
      },
      text: '**critical** · Unchecked input\n\nWhy.',
      commentId: opening.id,
      url: `https://github.com/octo-org/octo-repo/pull/7#discussion_r${opening.id}`,
      path: 'src/app.ts',
      commit: HEAD,
      current: { startLine: 2, endLine: 2 },
      threadId: expect.any(String),
      isOutdated: false,
      isResolved: true,
      resolvedBy: { login: 'maintainer', bot: false, canWrite: true },
      viewerCanResolve: false,
      thumbsDown: [
        { login: 'author', bot: false, canWrite: false },
        { login: 'maintainer', bot: false, canWrite: true }
      ],
      replies: [
        {
          author: { login: 'author', bot: false, canWrite: false },
          body: 'Why is this a problem?',
          url: expect.stringContaining('#discussion_r'),
          createdAt: expect.any(String),
          byAction: false
        },
        expect.objectContaining({ author: { login: 'maintainer', bot: false, canWrite: true }, byAction: false }),
        {
          author: { login: 'github-actions', bot: true, canWrite: false },
          body: 'Because.',
          url: expect.any(String),
          createdAt: expect.any(String),
          byAction: true
        }
      ],
      truncated: false
    })
    // One lookup per person, however often they appear; none for a bot.
    expect(permissionLookups().sort()).toEqual(['author', 'maintainer'])
  })

  it("reads only the action's threads: not a person's, nor one an outsider opened with a forged marker", async () => {
    postFinding(github, finding('Ours', 2))
    postFinding(github, finding('Forged', 2), 'outsider', 'NONE')
    const plain = postFinding(github, finding('Plain', 2), 'maintainer', 'MEMBER')
    plain.body = 'A remark of my own.'
    postFinding(github, finding('By a maintainer, marked', 2), 'maintainer', 'MEMBER')

    const threads = await readFindingThreads(octokit, pullRequest, fakeLogger())

    expect(threads.map((thread) => thread.finding.title)).toEqual(['Ours', 'By a maintainer, marked'])
  })

  it('reads an older marker (key and lines only), an outdated thread (no current place), and a long thread as truncated', async () => {
    const older = postFinding(github, finding('Older', 2))
    older.body = older.body.replace(/ critical| high [^>]*(?= -->)/, '')
    const outdated = postFinding(github, finding('Moved on', 9))
    for (let index = 0; index < 55; index++) github.addReviewReply(outdated.id, `Reply ${index}`, 'github-actions[bot]')

    const [first, second] = await readFindingThreads(octokit, pullRequest, fakeLogger())

    expect(first.finding).toEqual({ key: findingKey(finding('Older', 2)), startLine: 2, endLine: 2 })
    expect(second).toMatchObject({ isOutdated: true, truncated: true })
    expect(second.current).toBeUndefined()
    expect(second.replies).toHaveLength(50)
  })

  it('reads every thread, 100 at a time', async () => {
    for (let index = 0; index < 150; index++) postFinding(github, finding(`Finding ${index}`, 2))

    const threads = await readFindingThreads(octokit, pullRequest, fakeLogger())

    expect(threads).toHaveLength(150)
    expect(github.requests.filter((request) => request.path === '/graphql')).toHaveLength(2)
  })

  it("falls back on a reply's author association when GitHub would not say who may write, and on nothing for a 👎", async () => {
    const opening = postFinding(github, finding('Unchecked input', 2))
    github.addReviewReply(opening.id, 'Intended.', 'maintainer', 'MEMBER')
    github.react(opening.id, '-1', 'admin')
    github.failNext('repos/get-collaborator-permission-level', { status: 403, message: 'Forbidden' }, 2)
    const log = fakeLogger()

    const [thread] = await readFindingThreads(octokit, pullRequest, log)

    expect(thread.replies[0].author).toEqual({ login: 'maintainer', bot: false, canWrite: true })
    expect(thread.thumbsDown).toEqual([{ login: 'admin', bot: false, canWrite: false }])
    expect(log.warning).toHaveBeenCalledTimes(2)
    expect(log.warning).toHaveBeenCalledWith(
      expect.stringMatching(/^Could not read admin's permission on octo-org\/octo-repo \(Forbidden.*\): deciding from/)
    )
  })
})
