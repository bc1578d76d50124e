import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import { type FakeGitHub, startFakeGitHub } from './fake-github.js'
import { type FakeModel, fakeProviderConfig, startFakeModel } from './fake-model.js'
import { type Job, prepareJob, processesIn, readCommandFile, ROOT, runStep, startStep } from './runner.js'

jest.setTimeout(180_000)

const TOKEN = 'ghs_cleanupTestToken0000000000000000000000'
let model: FakeModel
let github: FakeGitHub
let job: Job

beforeEach(async () => {
  model = await startFakeModel()
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [{ number: 5, title: 'Slow one', body: '', headSha: '3'.repeat(40), baseSha: '4'.repeat(40), headRef: 's', baseRef: 'main', diff: readFileSync(path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8') }]
  })
  job = prepareJob({
    eventName: 'pull_request',
    payload: pullRequestEvent('opened', { number: 5 }),
    apiUrl: github.url,
    inputs: { model: 'fake/review-model', 'github-token': TOKEN, config: JSON.stringify(fakeProviderConfig(model.baseURL)), 'review-timeout': '600' }
  })
})

afterEach(async () => {
  await model.close()
  await github.close()
  for (const pid of processesIn(job.dir)) process.kill(pid, 'SIGKILL')
  rmSync(job.dir, { recursive: true, force: true })
})

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50))
}

describe('the post step', () => {
  it('stops the server a killed main step left running', async () => {
    model.script([{ kind: 'hang' }])
    const main = startStep(job)
    await until(() => model.requests.length > 0)
    // The runner kills a cancelled or timed-out step without letting it clean up.
    process.kill(main.pid, 'SIGKILL')
    await main.done
    const serverPid = Number(readCommandFile(path.join(job.dir, 'state'))['opencode-pid'])
    expect(serverPid).toBeGreaterThan(0)
    expect(processesIn(job.dir)).toContain(serverPid)

    const post = await runStep(job, 'post')

    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(`Stopped the OpenCode server (pid ${serverPid}) left by the main step.`)
    await until(() => processesIn(job.dir).length === 0)
    expect(github.reviews).toHaveLength(0)
  })

  it('has nothing to do after a main step that cleaned up', async () => {
    model.script([{ kind: 'reply', text: 'Quick.' }])
    const main = await runStep(job)
    expect(main.exitCode).toBe(0)
    expect(main.state['opencode-pid']).toBe('')

    const post = await runStep(job, 'post')

    expect(post.exitCode).toBe(0)
    expect(post.stdout).not.toContain('Stopped the OpenCode server')
    expect(processesIn(job.dir)).toEqual([])
  })
})
