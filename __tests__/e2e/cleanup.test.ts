import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Job, processesIn, readCommandFile, runStep, startStep } from '../../__fixtures__/runner.js'
import { pull, type Scenario, startScenario } from './scenario.js'

jest.setTimeout(180_000)

let world: Scenario
let job: Job

beforeEach(async () => {
  world = await startScenario([pull(5)])
  job = world.job({ inputs: { 'review-timeout': '600' } })
})

afterEach(() => world.close())

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50))
}

describe('the session', () => {
  // That the action deletes its session through OpenCode's API is shown in __tests__/opencode/session.test.ts.
  it('leaves nothing of OpenCode behind: its storage lived in a directory of the run, now gone', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'session-home-'))
    try {
      const job = world.job({ env: { HOME: home } })
      world.model.script([{ kind: 'reply', text: 'Reviewed.' }])
      const run = await runStep(job)
      expect(run.exitCode).toBe(0)
      expect(run.outputs['session-id']).toMatch(/^ses/)
      expect(readdirSync(home)).toEqual([])
      expect(readdirSync(job.env.RUNNER_TEMP)).toEqual([])
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})

describe('the post step', () => {
  it('stops the server a killed main step left running', async () => {
    world.model.script([{ kind: 'hang' }])
    const main = startStep(job)
    await until(() => world.model.requests.length > 0)
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
    expect(world.github.reviews).toHaveLength(0)
  })

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)(
    'is not needed when the run is cancelled: on %s the main step aborts the session, then stops the server',
    async (signal, exitCode) => {
      world.model.script([{ kind: 'hang' }])
      const main = startStep(job)
      await until(() => world.model.requests.length > 0)
      process.kill(main.pid, signal)
      const run = await main.done
      expect(run.exitCode).toBe(exitCode)
      expect(run.stdout).toContain(`Received ${signal}: aborting the review.`)
      expect(run.stdout).toMatch(/Aborted the OpenCode session ses\w+\.\n[\s\S]*Stopped the OpenCode server\./)
      await until(() => processesIn(job.dir).length === 0)
      expect(world.github.reviews).toHaveLength(0)
    }
  )

  it('has nothing to do after a main step that cleaned up', async () => {
    world.model.script([{ kind: 'reply', text: 'Quick.' }])
    const main = await runStep(job)
    expect(main.exitCode).toBe(0)
    expect(main.state['opencode-pid']).toBe('')

    const post = await runStep(job, 'post')

    expect(post.exitCode).toBe(0)
    expect(post.stdout).not.toContain('Stopped the OpenCode server')
    expect(processesIn(job.dir)).toEqual([])
  })
})
