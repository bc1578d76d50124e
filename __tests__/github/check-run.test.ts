import { afterEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { pullRequestFacts } from '../../__fixtures__/pull-request.js'
import type { StandingFinding, Verdict } from '../../src/domain/verdict.js'
import { postCheckRun } from '../../src/github/check-run.js'

// The verdict's check run against the fake GitHub: every request is validated against GitHub's API description.

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
const pullRequest = pullRequestFacts({ owner: 'octo-org', repo: 'octo-repo' })
let github: FakeGitHub

afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

const standing = (index: number): StandingFinding => ({
  key: `${index}`.padStart(16, '0'),
  file: 'src/a.ts',
  title: `Finding ${index}`,
  severity: 'high',
  startLine: index + 1,
  endLine: index + 1
})

function verdict(count: number, failOn: Verdict['failOn']): Verdict {
  const all = Array.from({ length: count }, (_, index) => standing(index))
  const blocking = failOn ? all : []
  return { failOn, standing: all, blocking, resolved: 0, state: blocking.length ? 'blocking' : 'clear' }
}

async function post(judged: Verdict, checks: boolean) {
  github = await startFakeGitHub({ token: TOKEN, pulls: [pullSeed('')], tokenCanWriteChecks: checks })
  const log = fakeLogger()
  await postCheckRun(
    getOctokit(TOKEN, { baseUrl: github.url }),
    pullRequest,
    judged,
    'https://github.com/o/r/pull/7#pullrequestreview-1',
    log
  )
  return log
}

describe('postCheckRun', () => {
  it('posts the verdict on the head, completed, every standing finding an annotation on its lines, 50 per request', async () => {
    const log = await post(verdict(120, 'high'), true)

    const [checkRun] = github.checkRuns
    expect(checkRun).toMatchObject({
      name: 'OpenCode review',
      head_sha: pullRequest.headSha,
      status: 'completed',
      conclusion: 'failure',
      output: {
        title: 'Blocking: 120 findings at or above high stand.',
        summary: expect.stringMatching(
          /^\*\*Blocking:\*\* 120 findings[^]*\n\n### Standing findings\n\n- \*\*high\*\* · blocking · `src\/a\.ts` line 1: \[Finding 0\]\(https:\/\/github\.com\/o\/r\/pull\/7#pullrequestreview-1\)/
        ),
        annotations_count: 120
      }
    })
    expect(checkRun.output.annotations[0]).toEqual({
      path: 'src/a.ts',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      title: 'high: Finding 0',
      message: 'Stands since it was posted: https://github.com/o/r/pull/7#pullrequestreview-1'
    })
    const operations = github.requests.map((request) => request.operationId)
    expect(operations).toEqual(['checks/create', 'checks/update', 'checks/update'])
    expect(log.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Posted the check run 'OpenCode review' \(failure\): /)
    )
  })

  it('concludes success once nothing blocks, and neutral without fail-on', async () => {
    await post(verdict(0, 'high'), true)
    expect(github.checkRuns[0]).toMatchObject({
      conclusion: 'success',
      output: { title: 'Nothing at or above high stands.', summary: 'Nothing at or above `high` stands.' }
    })
    await github.close()
    await post(verdict(2, undefined), true)
    expect(github.checkRuns[0]).toMatchObject({
      conclusion: 'neutral',
      output: { annotations: [0, 1].map(() => expect.objectContaining({ annotation_level: 'warning' })) }
    })
  })

  it('says in one line, never failing, that the token may not write checks', async () => {
    const log = await post(verdict(1, 'high'), false)
    expect(github.checkRuns).toEqual([])
    expect(log.info).toHaveBeenCalledWith(
      "No check run 'OpenCode review': this token may not create one. Grant `checks: write` in the job's `permissions:` to get it, or set `check-run: false`."
    )
    expect(log.warning).not.toHaveBeenCalled()
  })
})
