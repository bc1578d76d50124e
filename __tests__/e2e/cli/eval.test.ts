import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { benchmarkModel, buildBenchmark } from '../../../__fixtures__/benchmark.js'
import { type CliRun, runCli } from '../../../__fixtures__/cli.js'
import { type FakeModel, startFakeModel, towardsStandIn } from '../../../__fixtures__/fake-model.js'
import { processesIn } from '../../../__fixtures__/runner.js'

// `ANTHROPIC_API_KEY=... opencode-pr-review eval --model anthropic/...` on a benchmark of our own: two pull
// requests in a local repository that stands in for GitHub, reviewed by the real pipeline and OpenCode server,
// a stand-in for Anthropic's API as reviewer and judge (the review's model), the key only in the environment.
jest.setTimeout(240_000)

let model: FakeModel
let dir: string
let golden: string
const KEY = `sk-ant-eval-${'e'.repeat(24)}`

function evalArgs(): string[] {
  return [
    ...['eval', '--golden', golden, '--model', 'anthropic/claude-sonnet-4-5'],
    ...['--out', path.join(dir, 'results'), '--cache-dir', path.join(dir, 'cache')]
  ]
}

/** The key only in the environment, as `ANTHROPIC_API_KEY=... opencode-pr-review eval` gives it. */
const evalOptions = () => ({
  cwd: dir,
  toolCache: path.join(dir, 'tool-cache'),
  env: { ANTHROPIC_API_KEY: KEY, ...towardsStandIn('anthropic', model.baseURL).env }
})

function evalRun(): Promise<CliRun> {
  return runCli(evalArgs(), evalOptions())
}

beforeAll(async () => {
  model = await startFakeModel()
  model.respond = benchmarkModel
  dir = mkdtempSync(path.join(tmpdir(), 'eval-e2e-'))
  golden = buildBenchmark(dir)
})

afterAll(async () => {
  await model.close()
  expect(processesIn(dir)).toEqual([])
  rmSync(dir, { recursive: true, force: true })
})

describe('opencode-pr-review eval', () => {
  it('reviews each pull request, has the judge match findings with golden comments, and prints the scores', async () => {
    const run = await evalRun()

    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    // The reviews and the judge asked Anthropic's API, each request with the key from the environment.
    expect(model.requests.every((request) => request.protocol === 'messages')).toBe(true)
    expect(new Set(model.keys)).toEqual(new Set([KEY]))
    expect(run.stdout + run.stderr).not.toContain(KEY)
    // Pull request 1: 1 of 2 golden comments found by 2 findings (the judge's second claim on the same finding is
    // dropped); 2: 1 of 2 by 1 finding. Total, micro-averaged: 2 of 4 found, 2 of 3 findings right.
    expect(run.stdout).toMatch(/^\| local\/shop#1 \| 1\/2 \| 2 \| 50\.0% \| 50\.0% \| 50\.0% \| [\d,]+ \|/m)
    expect(run.stdout).toMatch(/^\| local\/shop#2 \| 1\/2 \| 1 \| 100\.0% \| 50\.0% \| 66\.7% \| [\d,]+ \|/m)
    expect(run.stdout).toMatch(/^\| \*\*total \(2\)\*\* \| 2\/4 \| 3 \| 66\.7% \| 50\.0% \| 57\.1% \|/m)
    // The stand-in reports its tokens; OpenCode prices them as Claude Sonnet 4.5's ($3 and $15 per million).
    expect(run.stdout).toMatch(/^\| local\/shop#1 \|.*\| 1,200 \/ 80 \| \$0\.0048 \|$/m)
    expect(run.stderr).toContain('[1/2] local/shop#1: 1/2 golden comments found, 2 finding(s).')

    // Each review read its pull request's own diff, from the base the repository gave.
    const reviews = model.requests.filter((request) => JSON.stringify(request).includes('+++ b/src/'))
    expect(reviews.some((request) => JSON.stringify(request).includes('for (let i = 1; i < prices.length'))).toBe(true)
    expect(reviews.some((request) => JSON.stringify(request).includes('if (user === \\"admin\\") return true'))).toBe(
      true
    )

    const results = JSON.parse(readFileSync(path.join(dir, 'results/results.json'), 'utf8'))
    expect(results.total).toMatchObject({ golden: 4, goldenFound: 2, findings: 3, findingsMatched: 2 })
    expect(results.total.f1).toBeCloseTo(4 / 7, 10)
    expect(results.pullRequests[0]).toMatchObject({
      reviewModel: 'anthropic/claude-sonnet-4-5',
      judgeModel: 'anthropic/claude-sonnet-4-5',
      matches: [{ golden: 0, finding: 0, reasoning: 'Both say the first price is skipped.' }],
      missed: ['The discount is multiplied by 100: a 10% discount removes ten times the total.']
    })
    expect(readFileSync(path.join(dir, 'results/results.md'), 'utf8')).toContain(
      '| **total (2)** | 2/4 | 3 | 66.7% | 50.0% | 57.1% |'
    )
    expect(existsSync(path.join(dir, 'results/pull-requests/local__shop__1.json'))).toBe(true)
    // The same reviews at each threshold: the 0.4 finding (wrong) goes at 0.5, the 0.7 one (right) at 0.8.
    expect(run.stdout).toMatch(/^\| \*\*0\*\* \| 2\/4 \| 3 \| 66\.7% \| 50\.0% \| 57\.1% \|$/m)
    expect(run.stdout).toMatch(/^\| 0\.4 \| 2\/4 \| 3 \| 66\.7% \| 50\.0% \| 57\.1% \|$/m)
    expect(run.stdout).toMatch(/^\| 0\.5 \| 2\/4 \| 2 \| 100\.0% \| 50\.0% \| 66\.7% \|$/m)
    expect(run.stdout).toMatch(/^\| 0\.8 \| 1\/4 \| 1 \| 100\.0% \| 25\.0% \| 40\.0% \|$/m)
    expect(results.byConfidence).toHaveLength(10)
    expect(results.pullRequests[0].findings.map((finding: { confidence?: number }) => finding.confidence)).toEqual([
      0.9, 0.4
    ])
  })

  it('a second run resumes: it reviews nothing again and prints the same scores', async () => {
    const asked = model.requests.length

    const run = await evalRun()

    expect(run.code).toBe(0)
    expect(model.requests).toHaveLength(asked)
    expect(run.stderr).toContain('[1/2] local/shop#1: finished by an earlier run, not reviewed again.')
    expect(run.stderr).toContain('[2/2] local/shop#2: finished by an earlier run, not reviewed again.')
    expect(run.stderr).not.toContain('OpenCode')
    expect(run.stdout).toMatch(/^\| \*\*total \(2\)\*\* \| 2\/4 \| 3 \| 66\.7% \| 50\.0% \| 57\.1% \|/m)
  })

  it('scores the kept reviews at another --min-confidence without reviewing again', async () => {
    const asked = model.requests.length

    const run = await runCli([...evalArgs(), '--min-confidence', '0.5'], evalOptions())

    expect(run.code).toBe(0)
    expect(model.requests).toHaveLength(asked)
    // Pull request 1 loses its unsure finding: 1 of 1 right.
    expect(run.stdout).toMatch(/^\| local\/shop#1 \| 1\/2 \| 1 \| 100\.0% \| 50\.0% \| 66\.7% \|/m)
    expect(run.stdout).toMatch(/^\| \*\*total \(2\)\*\* \| 2\/4 \| 2 \| 100\.0% \| 50\.0% \| 66\.7% \|/m)
    expect(run.stdout).toMatch(/^\| \*\*0\.5\*\* \| 2\/4 \| 2 \|/m)
  })
})
