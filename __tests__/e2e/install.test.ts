import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import { DEFAULT_OPENCODE_VERSION } from '../../src/inputs.js'
import { type FakeGitHub, startFakeGitHub } from './fake-github.js'
import { type FakeModel, fakeProviderConfig, startFakeModel } from './fake-model.js'
import { type Job, prepareJob, processesIn, ROOT, runStep } from './runner.js'

// Downloads the platform's opencode binary package from the npm registry once.
jest.setTimeout(600_000)

const TOKEN = 'ghs_installTestToken0000000000000000000000'
let model: FakeModel
let github: FakeGitHub
let job: Job

beforeAll(async () => {
  model = await startFakeModel()
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [{ number: 9, title: 'Install', body: '', headSha: '5'.repeat(40), baseSha: '6'.repeat(40), headRef: 'i', baseRef: 'main', diff: readFileSync(path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8') }]
  })
  job = prepareJob({
    eventName: 'pull_request',
    payload: pullRequestEvent('opened', { number: 9 }),
    apiUrl: github.url,
    inputs: { model: 'fake/review-model', 'github-token': TOKEN, config: JSON.stringify(fakeProviderConfig(model.baseURL)) },
    // A runner without opencode: only node and npm on PATH.
    env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` }
  })
})

afterAll(async () => {
  await model.close()
  await github.close()
  rmSync(job.dir, { recursive: true, force: true })
})

describe('on a runner without OpenCode', () => {
  const cached = () => path.join(job.env.RUNNER_TOOL_CACHE, 'opencode', DEFAULT_OPENCODE_VERSION, process.arch, 'opencode')

  it('installs the pinned version from npm into the tool cache and reviews with it', async () => {
    model.script([{ kind: 'reply', text: 'Installed and reviewed.' }])
    const run = await runStep(job)
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Installing OpenCode ${DEFAULT_OPENCODE_VERSION} from npm`)
    expect(existsSync(cached())).toBe(true)
    expect(github.reviews[0].body).toContain('Installed and reviewed.')
    expect(processesIn(job.dir)).toEqual([])
  })

  it('finds it in the tool cache on the next run', async () => {
    model.script([{ kind: 'reply', text: 'Second run.' }])
    const run = await runStep(job)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Using OpenCode ${DEFAULT_OPENCODE_VERSION} from the tool cache: ${cached()}`)
    expect(run.stdout).not.toContain('Installing OpenCode')
  })

  it('fails clearly for a version that does not exist', async () => {
    const run = await runStep({ ...job, env: { ...job.env, 'INPUT_OPENCODE-VERSION': '0.0.0-nonexistent' } })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain("Could not install OpenCode 0.0.0-nonexistent with npm")
    expect(processesIn(job.dir)).toEqual([])
  })
})
