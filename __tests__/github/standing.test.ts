import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, type FakePullRequestSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { pullRequestFacts } from '../../__fixtures__/pull-request.js'
import type { Finding } from '../../src/domain/finding.js'
import { CODE_GONE, findingKey, fingerprintCode, MARKER } from '../../src/domain/markers.js'
import type { Octokit } from '../../src/github/client.js'
import { headFilesOnGitHub, withCodeFingerprints } from '../../src/github/head-files.js'
import { parseDiff } from '../../src/diff/parse.js'
import { readReviewHistory } from '../../src/github/history.js'
import { composeBody, renderFindingList, renderInlineComment } from '../../src/github/render.js'
import { readEarlierFindings } from '../../src/github/standing.js'

// Earlier findings judged again from what the fake GitHub holds: threads, reactions, review bodies, the head's files.

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
const HEAD = 'b'.repeat(40)
const APP = ['export function run(input: string) {', '  return eval(input)', '}', '', 'export const retries = 3']
const DIFF = `diff --git a/src/app.ts b/src/app.ts\nnew file mode 100644\n--- /dev/null\n+++ b/src/app.ts\n@@ -0,0 +1,5 @@\n${APP.map((line) => `+${line}`).join('\n')}\n`

let github: FakeGitHub
let octokit: Octokit
let seed: FakePullRequestSeed
const pullRequest = pullRequestFacts({ owner: 'octo-org', repo: 'octo-repo', headSha: HEAD })

beforeEach(async () => {
  seed = {
    number: 7,
    title: 'Run',
    body: null,
    headSha: HEAD,
    baseSha: 'a'.repeat(40),
    headRef: 'feature',
    baseRef: 'main',
    diff: DIFF,
    headFiles: { 'src/app.ts': `${APP.join('\n')}\n` }
  }
  github = await startFakeGitHub({ token: TOKEN, pulls: [seed], permissions: { maintainer: 'write' } })
  octokit = getOctokit(TOKEN, { baseUrl: github.url })
})

afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

const finding = (title: string, line: number, patch: Partial<Finding> = {}): Finding => ({
  file: 'src/app.ts',
  startLine: line,
  endLine: line,
  severity: 'high',
  title,
  body: 'Why.',
  codeFingerprint: line <= APP.length ? fingerprintCode([APP[line - 1]]) : undefined,
  ...patch
})

/** A review as the action posts it: `inline` on their lines, `listed` in its body. */
async function postReview(inline: Finding[], listed: Finding[]): Promise<void> {
  await octokit.rest.pulls.createReview({
    owner: 'octo-org',
    repo: 'octo-repo',
    pull_number: 7,
    commit_id: HEAD,
    event: 'COMMENT',
    body: composeBody(renderFindingList(listed, 'Findings'), 'footer', HEAD),
    comments: inline.map((posted) => ({
      path: posted.file,
      line: posted.endLine,
      side: 'RIGHT' as const,
      body: renderInlineComment(posted)
    }))
  })
}

async function judge() {
  const log = fakeLogger()
  const history = await readReviewHistory(octokit, pullRequest, 'review')
  const earlier = await readEarlierFindings(octokit, pullRequest, history, headFilesOnGitHub(octokit, pullRequest), log)
  return { earlier, log, state: (title: string) => earlier.findings.find((item) => item.posted.title === title) }
}

describe('readEarlierFindings', () => {
  it('judges each posted finding: standing where its code still is, fixed once it changed, waived by a maintainer', async () => {
    await postReview([finding('Eval of input', 2), finding('Retries hard-coded', 5)], [finding('Listed', 1)])
    const [evalComment] = github.reviewComments
    // A push moves the code down two lines and changes the retries.
    seed.headFiles = { 'src/app.ts': ['// header', '', ...APP.slice(0, 4), 'export const retries = 5', ''].join('\n') }
    github.react(evalComment.id, '-1', 'author')

    const { earlier, state, log } = await judge()

    expect(state('Eval of input')).toMatchObject({ state: 'stands', place: { startLine: 4, endLine: 4 } })
    expect(state('Eval of input')?.url).toContain(`#discussion_r${evalComment.id}`)
    expect(state('Retries hard-coded')).toMatchObject({ state: 'fixed' })
    expect(state('Listed')).toMatchObject({
      state: 'stands',
      sticky: false,
      url: expect.stringContaining('#pullrequestreview-'),
      place: { startLine: 3, endLine: 3 }
    })
    expect(earlier.waivedKeys).toEqual([])
    expect(log.info).toHaveBeenCalledWith(
      'Findings of earlier reviews: 2 stand, 1 fixed (their code changed or is gone), 0 waived.'
    )

    github.react(evalComment.id, '-1', 'maintainer')
    const after = await judge()
    expect(after.state('Eval of input')).toMatchObject({
      state: 'waived',
      waiver: { how: 'thumbs-down', by: 'maintainer' }
    })
    expect(after.earlier.waivedKeys).toEqual([findingKey(finding('Eval of input', 2))])
  })

  it("waives a finding listed in a body when its twin's thread is waived, and ignores an older release's markers", async () => {
    await postReview([finding('Eval of input', 2)], [finding('Eval of input', 2)])
    github.addComment(`${MARKER}\n<!-- opencode-pr-review:finding 0123456789abcdef 1-1 -->`, 'github-actions[bot]')
    github.resolveThread(github.reviewComments[0].id, 'maintainer')

    const { earlier } = await judge()

    expect(earlier.findings.map((item) => [item.url.includes('discussion_r'), item.state])).toEqual([
      [true, 'waived'],
      [false, 'waived']
    ])
  })

  it('counts a finding whose file cannot be read as unknown, and one on a deleted file as standing while it stays deleted', async () => {
    const deleted = finding('Still imported', 1, { file: 'src/old.ts', codeFingerprint: CODE_GONE })
    await postReview([], [deleted, finding('Eval of input', 2)])
    github.failNext('repos/get-content', { status: 403, message: 'Forbidden' })

    const { state } = await judge()

    expect([state('Still imported')?.state, state('Eval of input')?.state].sort()).toEqual(['stands', 'unknown'])
  })

  it('asks GitHub nothing more when no earlier run posted a finding', async () => {
    const { earlier } = await judge()
    expect(earlier.findings).toEqual([])
    expect(github.requests.map((request) => request.path).filter((path) => path === '/graphql')).toEqual([])
  })
})

describe('withCodeFingerprints', () => {
  it("records the code on each finding's lines: from the diff where its hunk shows them, else read raw from the head once per file; lines the head lacks are gone", async () => {
    seed.headFiles = { ...seed.headFiles, 'src/other.ts': 'const other = 1\n' }
    const plain = (title: string, line: number, file = 'src/app.ts') => ({
      ...finding(title, line),
      file,
      codeFingerprint: undefined
    })
    const content = await withCodeFingerprints(
      {
        summary: '',
        footer: '',
        inline: [{ finding: plain('Eval', 2), anchor: { path: 'src/app.ts', line: 2 } }],
        listed: [
          plain('Retries', 5),
          plain('Untouched file', 1, 'src/other.ts'),
          plain('Deleted', 1, 'src/old.ts'),
          { ...plain('Past the end', 9), endLine: 9 }
        ],
        carried: [],
        standing: []
      },
      parseDiff(DIFF),
      headFilesOnGitHub(octokit, pullRequest),
      fakeLogger()
    )

    expect(content.inline[0].finding.codeFingerprint).toBe(fingerprintCode(['  return eval(input)']))
    expect(content.listed.map((item) => item.codeFingerprint)).toEqual([
      fingerprintCode(['export const retries = 3']),
      fingerprintCode(['const other = 1']),
      CODE_GONE,
      CODE_GONE
    ])
    const reads = github.requests.filter((request) => request.operationId === 'repos/get-content')
    expect(
      reads.map((request) => [
        decodeURIComponent(request.path.split('/contents/')[1]),
        request.query.ref,
        request.accept
      ])
    ).toEqual(['src/other.ts', 'src/old.ts', 'src/app.ts'].map((path) => [path, HEAD, 'application/vnd.github.v3.raw']))
  })

  it('leaves the findings of a file that cannot be read without a fingerprint, and says so once', async () => {
    github.failNext('repos/get-content', { status: 403, message: 'Forbidden' })
    const log = fakeLogger()
    const content = await withCodeFingerprints(
      {
        summary: '',
        footer: '',
        inline: [],
        listed: [finding('A', 1, { codeFingerprint: undefined }), finding('B', 2, { codeFingerprint: undefined })],
        carried: [],
        standing: []
      },
      [],
      headFilesOnGitHub(octokit, pullRequest),
      log
    )
    expect(content.listed.map((item) => item.codeFingerprint)).toEqual([undefined, undefined])
    expect(log.warning).toHaveBeenCalledTimes(1)
  })
})
