import { afterEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeComparison, type FakeGitHub, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { pullRequestFacts } from '../../__fixtures__/pull-request.js'
import { type Changes, type NothingNew, readPullRequestChanges } from '../../src/github/changes.js'
import { headMarker, MARKER } from '../../src/domain/markers.js'

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
const HEAD = 'b'.repeat(40)
const REVIEWED = 'c'.repeat(40)
const DIFF = ['src/a.ts', 'src/b.ts']
  .map((file) => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-old\n+new\n`)
  .join('')

let github: FakeGitHub

afterEach(async () => {
  await github.close()
})

/** The fake GitHub with pull request #7 (src/a.ts and src/b.ts), an earlier review of `reviewedHead` when given. */
async function world(reviewedHead?: string, comparisons?: Record<string, FakeComparison>) {
  github = await startFakeGitHub({ token: TOKEN, owner: 'octo', repo: 'app', pulls: [pullSeed(DIFF)], comparisons })
  if (reviewedHead) github.addComment(`${MARKER}\nLooks fine.\n${headMarker(reviewedHead)}`, 'github-actions[bot]')
  const log = fakeLogger()
  const read = (incremental: boolean) =>
    readPullRequestChanges(
      getOctokit(TOKEN, { baseUrl: github.url }),
      pullRequestFacts({ headSha: HEAD }),
      { commentMode: 'review', incremental },
      log
    )
  return { read, log }
}

const paths = (changes: Changes | NothingNew) =>
  'nothingNew' in changes ? changes.nothingNew : changes.scope.files.map((file) => file.path)

describe('readPullRequestChanges', () => {
  it('reviews every file of a pull request no run reviewed yet, incremental or not', async () => {
    const { read } = await world()
    const changes = await read(true)
    expect('scope' in changes && changes.files.map((file) => file.path)).toEqual(['src/a.ts', 'src/b.ts'])
    expect(paths(changes)).toEqual(['src/a.ts', 'src/b.ts'])
    expect('scope' in changes && changes.scope.since).toBeUndefined()
    expect(github.violations).toEqual([])
  })

  it('reviews only the files of the pull request changed since the last reviewed head', async () => {
    const { read, log } = await world(REVIEWED, {
      [`${REVIEWED}...${HEAD}`]: {
        status: 'ahead',
        files: [
          { filename: 'src/a.ts', status: 'modified', additions: 1, deletions: 1, patch: '@@ -1 +1 @@\n-new\n+newer' },
          // Brought by a merge of the base branch: not the pull request's change.
          { filename: 'docs/merged.md', status: 'modified', additions: 1, deletions: 0, patch: '@@ -1 +1,2 @@\n a\n+b' }
        ]
      }
    })
    const changes = await read(true)
    expect(paths(changes)).toEqual(['src/a.ts'])
    expect(github.requests.filter((request) => request.path.includes('/compare/'))).toHaveLength(1)
    expect('scope' in changes && changes.scope.since).toBe(REVIEWED)
    expect('scope' in changes && changes.history?.lastReviewedHead).toBe(REVIEWED)
    expect(log.info).toHaveBeenCalledWith(
      expect.stringContaining("1 of the pull request's files changed since ccccccc")
    )
  })

  it('says there is nothing new when the head was reviewed already', async () => {
    const { read } = await world(HEAD)
    const changes = await read(true)
    expect(paths(changes)).toBe('Nothing new to review in pull request #7: its head bbbbbbb was reviewed already.')
    // What earlier runs posted still judges the pull request.
    expect('nothingNew' in changes && changes.history.lastReviewedHead).toBe(HEAD)
  })

  it('falls back to the whole pull request, and says why, when the reviewed head is gone', async () => {
    const { read, log } = await world(REVIEWED)
    const changes = await read(true)
    expect(paths(changes)).toEqual(['src/a.ts', 'src/b.ts'])
    expect('scope' in changes && changes.scope.fullReason).toContain('no longer exists')
    expect(log.notice).toHaveBeenCalledWith(expect.stringContaining('Reviewing the whole pull request'))
  })

  it('asks for no comparison when the review is not incremental', async () => {
    const { read } = await world(REVIEWED)
    const changes = await read(false)
    expect(paths(changes)).toEqual(['src/a.ts', 'src/b.ts'])
    expect(github.requests.filter((request) => request.path.includes('/compare/'))).toEqual([])
  })
})
