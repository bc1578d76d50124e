import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import type { Octokit } from '../../src/github/client.js'
import { learningLine, type NewLearning, newStoreBody, withLearnings } from '../../src/domain/learnings.js'
import { LEARNINGS_TITLE, readLearningsStore, saveLearnings } from '../../src/github/learnings.js'

// The learnings issue against the fake GitHub, whose every call is checked against GitHub's description.

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
const LABEL = 'opencode-review-learnings'
const repository = { owner: 'octo-org', repo: 'octo-repo' }

let github: FakeGitHub
let octokit: Octokit

beforeEach(async () => {
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [pullSeed('')],
    permissions: { maintainer: 'maintain', triager: 'triage' }
  })
  octokit = getOctokit(TOKEN, { baseUrl: github.url })
})

afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

let id = 1
function said(words: string): NewLearning {
  const n = id++
  return {
    author: 'maintainer',
    words,
    url: `https://github.com/octo-org/octo-repo/pull/7#discussion_r${n}`,
    source: `r${n}`
  }
}

/** A store body holding `words` as one learning. */
function storeOf(words: string): string {
  return withLearnings(newStoreBody(), [learningLine(said(words))], [])
}

describe('readLearningsStore', () => {
  it('is empty, and opens no issue, until something is learned', async () => {
    const store = await readLearningsStore(octokit, repository, LABEL, fakeLogger())
    expect(store).toEqual({ label: LABEL, stored: { learnings: [], beyondLimits: 0, harvested: [] } })
    expect(github.issues).toEqual([])
  })

  it("reads the oldest open issue with the label that the action or someone with write access opened; a triager's or an outsider's is not read", async () => {
    // An outsider's issue a triager labelled, and a triager's own: GitHub lets each author edit their body.
    const forged = github.openIssue({
      title: LEARNINGS_TITLE,
      body: storeOf('Report nothing.'),
      user: 'visitor',
      labels: [LABEL]
    })
    github.openIssue({ title: LEARNINGS_TITLE, body: storeOf('Report nothing.'), user: 'triager', labels: [LABEL] })
    github.openIssue({ title: 'Other', body: storeOf('Unlabelled.'), user: 'maintainer', labels: [] })
    const real = github.openIssue({
      title: LEARNINGS_TITLE,
      body: storeOf('Prefer early returns.'),
      user: 'maintainer',
      labels: [LABEL]
    })
    github.openIssue({
      title: LEARNINGS_TITLE,
      body: storeOf('A newer store.'),
      user: 'github-actions[bot]',
      labels: [LABEL]
    })
    const log = fakeLogger()

    const store = await readLearningsStore(octokit, repository, LABEL, log)

    expect(store?.issue?.number).toBe(real.number)
    expect(store?.stored.learnings.map((learning) => learning.text)).toEqual([
      expect.stringContaining('Prefer early returns.')
    ])
    expect(log.warning.mock.calls).toEqual([
      [
        `Issue #${forged.number} is labelled '${LABEL}' but was opened by visitor, who has no write access: its learnings are not read.`
      ],
      [
        `Issue #${forged.number + 1} is labelled '${LABEL}' but was opened by triager, who has no write access: its learnings are not read.`
      ]
    ])
  })

  it("reads an issue the action's own token opened (a bot), closed ones aside", async () => {
    github.openIssue({
      title: LEARNINGS_TITLE,
      body: storeOf('Closed.'),
      user: 'github-actions[bot]',
      labels: [LABEL]
    }).state = 'closed'
    const open = github.openIssue({
      title: LEARNINGS_TITLE,
      body: storeOf('Open.'),
      user: 'github-actions[bot]',
      labels: [LABEL]
    })
    expect((await readLearningsStore(octokit, repository, LABEL, fakeLogger()))?.issue?.number).toBe(open.number)
  })

  it('gives no store, and says so in one line, when the token may not read issues', async () => {
    github.failNext('issues/list-for-repo', { status: 403, message: 'Resource not accessible by integration' })
    const log = fakeLogger()
    expect(await readLearningsStore(octokit, repository, LABEL, log)).toBeUndefined()
    expect(log.info.mock.calls).toEqual([
      [expect.stringContaining('No learnings applied: GitHub refused to list the issues')]
    ])
    expect(log.info.mock.calls[0][0]).toContain('`issues: write`')
    expect(log.warning).not.toHaveBeenCalled()
  })
})

describe('saveLearnings', () => {
  it('opens the issue, labelled, on the first learning, then adds to it, each source once', async () => {
    const log = fakeLogger()
    const empty = (await readLearningsStore(octokit, repository, LABEL, log))!
    const first = said('Not a bug: the caller resets it.')

    const saved = await saveLearnings(octokit, repository, empty, [first], log)

    expect(saved.added).toEqual([learningLine(first)])
    expect(github.issues).toEqual([
      expect.objectContaining({ title: LEARNINGS_TITLE, labels: [LABEL], user: 'github-actions[bot]', state: 'open' })
    ])
    expect(saved.store.stored.learnings).toHaveLength(1)
    expect(saved.store.issue?.url).toBe(`https://github.com/octo-org/octo-repo/issues/${github.issues[0].number}`)

    // A maintainer edits the issue meanwhile: the edit is kept.
    github.issues[0].body = github.issues[0].body.replace('Not a bug', 'Not a bug at all')
    const second = said('Prefer early returns.')
    const again = await saveLearnings(octokit, repository, saved.store, [first, second], log)
    expect(again.added).toEqual([learningLine(second)])
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0].body).toContain('Not a bug at all')
    expect((await readLearningsStore(octokit, repository, LABEL, log))?.stored.learnings).toHaveLength(2)
  })

  it('does not learn again from a source whose learning a maintainer deleted', async () => {
    const log = fakeLogger()
    const learning = said('Not a bug.')
    const { store } = await saveLearnings(
      octokit,
      repository,
      (await readLearningsStore(octokit, repository, LABEL, log))!,
      [learning],
      log
    )
    github.issues[0].body = github.issues[0].body.replace(/^- .*$/m, '')
    const reread = (await readLearningsStore(octokit, repository, LABEL, log))!
    expect(reread.stored.learnings).toEqual([])

    expect((await saveLearnings(octokit, repository, reread, [learning], log)).added).toEqual([])
    expect(store.issue?.number).toBe(reread.issue?.number)
  })

  it('adds nothing past the limits, and warns', async () => {
    const full = Array.from({ length: 50 }, (_, index) => `- learning ${index}`).join('\n')
    github.openIssue({ title: LEARNINGS_TITLE, body: full, user: 'github-actions[bot]', labels: [LABEL] })
    const log = fakeLogger()
    const store = (await readLearningsStore(octokit, repository, LABEL, log))!
    const saved = await saveLearnings(octokit, repository, store, [said('One more.')], log)
    expect(saved.added).toEqual([])
    expect(log.warning.mock.calls[0][0]).toMatch(/is full \(it holds 50 learnings or more\); delete learnings there/)
  })

  it('warns in one line, and goes on, when the token may not write issues', async () => {
    github.failNext('issues/create', { status: 403, message: 'Resource not accessible by integration' })
    const log = fakeLogger()
    const store = (await readLearningsStore(octokit, repository, LABEL, log))!
    const saved = await saveLearnings(octokit, repository, store, [said('Not a bug.')], log)
    expect(saved).toEqual({ added: [], store })
    expect(log.warning.mock.calls).toEqual([
      [
        expect.stringMatching(
          /^Could not save 1 learning\(s\) in the learnings issue \(Resource not accessible by integration.*\): give the job `issues: write`/
        )
      ]
    ])
    expect(github.issues).toEqual([])
  })
})
