import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, type FakePullRequestSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { pullRequestFacts } from '../../__fixtures__/pull-request.js'
import type { Octokit } from '../../src/github/client.js'
import {
  describedBody,
  describedRows,
  describeWalkthrough,
  WALKTHROUGH_END,
  WALKTHROUGH_START
} from '../../src/github/description.js'

const row = (change: string, ...files: string[]) => ({ files, change })
const FILES = ['src/login.ts', 'src/session.ts', 'docs/login.md', 'test/session.test.ts']
const full = { incremental: false, pullRequestFiles: FILES }
const first = [row('Adds login.', 'src/login.ts', 'src/session.ts'), row('Documents it.', 'docs/login.md')]

/** The text of the last complete section, markers included. */
function sectionOf(body: string): string {
  const end = body.lastIndexOf(WALKTHROUGH_END) + WALKTHROUGH_END.length
  return body.slice(body.lastIndexOf(WALKTHROUGH_START, end), end)
}

describe('describedBody', () => {
  it("appends the section after the author's text and a blank line, the table inside the markers", () => {
    const body = describedBody('Fixes #12.', first, full)
    expect(body.startsWith(`Fixes #12.\n\n${WALKTHROUGH_START}\n### Walkthrough\n\n| Files | What changed |`)).toBe(
      true
    )
    expect(body).toContain('| `src/login.ts`, `src/session.ts` | Adds login. |')
    expect(body.endsWith(WALKTHROUGH_END)).toBe(true)
    expect(describedBody('', first, full).startsWith(WALKTHROUGH_START)).toBe(true)
    // The author's line endings stay as they are.
    expect(describedBody('Fixes #12.\r\n', first, full).startsWith(`Fixes #12.\r\n\n${WALKTHROUGH_START}`)).toBe(true)
  })

  it("replaces only the last complete section, the author's text around it untouched", () => {
    const once = describedBody('Intro.', first, full)
    const edited = `Intro, edited.\r\n${once.slice('Intro.'.length)}\n\nA note below. ${WALKTHROUGH_START} (quoted)`
    const latest = [row('Rewrites login.', 'src/login.ts')]
    const again = describedBody(edited, latest, full)
    expect(again.startsWith('Intro, edited.\r\n\n\n')).toBe(true)
    expect(again.endsWith(`\n\nA note below. ${WALKTHROUGH_START} (quoted)`)).toBe(true)
    expect(again.match(new RegExp(WALKTHROUGH_END, 'g'))).toHaveLength(1)
    expect(sectionOf(again)).toContain('| `src/login.ts` | Rewrites login. |')
    expect(sectionOf(again)).not.toContain('Documents it.')
  })

  it('gives the same body for the same rows, so an unchanged walkthrough is not written again', () => {
    const once = describedBody('Intro.', first, full)
    expect(describedBody(once, first, full)).toBe(once)
  })

  it('keeps, on an incremental review, the earlier rows for files the new rows do not describe', () => {
    const once = describedBody('Intro.', first, full)
    const latest = [row('Fixes the cookie.', 'src/session.ts'), row('Tests it.', 'test/session.test.ts')]
    const again = describedBody(once, latest, { incremental: true, pullRequestFiles: FILES })
    expect(describedRows(again)).toEqual([
      row('Adds login.', 'src/login.ts'),
      row('Documents it.', 'docs/login.md'),
      ...latest
    ])
    // A file no longer in the pull request is not carried over.
    const shrunk = describedBody(once, latest, { incremental: true, pullRequestFiles: ['src/session.ts'] })
    expect(describedRows(shrunk)).toEqual(latest)
  })
})

describe('describedRows', () => {
  it('reads back the rows an earlier run wrote, and nothing from a damaged or forged marker', () => {
    expect(describedRows(describedBody('Intro.', first, full))).toEqual(first)
    expect(describedRows('No section here.')).toEqual([])
    const section = (data: string) =>
      `${WALKTHROUGH_START}\n<!-- opencode-pr-review:walkthrough:rows ${data} -->\n${WALKTHROUGH_END}`
    expect(describedRows(section('not base64 json!'))).toEqual([])
    expect(describedRows(section(Buffer.from('{"rows": 1}').toString('base64')))).toEqual([])
    const forged = Buffer.from(JSON.stringify([{ files: ['a.ts'], change: 'Fine.' }, { files: 'x' }])).toString(
      'base64'
    )
    expect(describedRows(section(forged))).toEqual([row('Fine.', 'a.ts')])
    // Outside a complete section it counts for nothing.
    expect(describedRows(section(forged).replace(WALKTHROUGH_END, ''))).toEqual([])
  })
})

describe('describeWalkthrough on GitHub', () => {
  const TOKEN = 'ghs_unitTestToken000000000000000000000000'
  let github: FakeGitHub
  let octokit: Octokit
  let seed: FakePullRequestSeed

  beforeEach(async () => {
    seed = {
      number: 7,
      title: 'Login',
      body: 'Fixes #12.',
      headSha: 'b'.repeat(40),
      baseSha: 'a'.repeat(40),
      headRef: 'feature',
      baseRef: 'main',
      diff: ''
    }
    github = await startFakeGitHub({ token: TOKEN, owner: 'octo', repo: 'app', pulls: [seed] })
    octokit = getOctokit(TOKEN, { baseUrl: github.url })
  })

  afterEach(async () => {
    await github.close()
    expect(github.violations).toEqual([])
  })

  const updates = () => github.requests.filter((request) => request.operationId === 'pulls/update')

  it('writes the body read just before, and nothing when it would not change', async () => {
    const log = fakeLogger()
    seed.body = 'Fixes #12, edited during the review.'
    await describeWalkthrough(octokit, pullRequestFacts({ body: 'stale' }), first, full, log)
    expect(updates().map((request) => Object.keys(request.body))).toEqual([['body']])
    expect(seed.body.startsWith(`Fixes #12, edited during the review.\n\n${WALKTHROUGH_START}`)).toBe(true)

    await describeWalkthrough(octokit, pullRequestFacts(), first, full, log)
    expect(updates()).toHaveLength(1)
    expect(log.info).toHaveBeenLastCalledWith('The walkthrough in the description is up to date.')
    expect(log.warning).not.toHaveBeenCalled()
  })

  it('leaves the description alone when the model wrote no rows', async () => {
    const log = fakeLogger()
    await describeWalkthrough(octokit, pullRequestFacts(), [], full, log)
    expect(github.requests).toEqual([])
    expect(seed.body).toBe('Fixes #12.')
  })

  it('only warns, naming the permission, when GitHub refuses the write', async () => {
    const log = fakeLogger()
    github.failNext('pulls/update', { status: 403, message: 'Resource not accessible by integration' })
    await describeWalkthrough(octokit, pullRequestFacts(), first, full, log)
    expect(seed.body).toBe('Fixes #12.')
    expect(log.warning).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not write the walkthrough into the description of pull request #7: GitHub answered 403 .*The review is posted; .*`pull-requests: write`/
      )
    )
  })
})
