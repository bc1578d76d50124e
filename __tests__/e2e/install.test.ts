import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { DEFAULTS } from '../../src/defaults.js'
import { type Job, processesIn, ROOT, runStep } from '../../__fixtures__/runner.js'
import { pull, type Scenario, startScenario } from './scenario.js'

// Downloads the platform's opencode binary package from the npm registry once.
jest.setTimeout(600_000)

let world: Scenario
let job: Job

beforeAll(async () => {
  world = await startScenario([pull(9)])
  // A runner without opencode: only node and npm on PATH.
  job = world.job({ env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } })
})

afterAll(() => world.close())

describe('on a runner without OpenCode', () => {
  const cached = () =>
    path.join(job.env.RUNNER_TOOL_CACHE, 'opencode', DEFAULTS['opencode-version'], process.arch, 'opencode')

  it('installs the pinned version from npm into the tool cache and reviews with it', async () => {
    world.model.script([{ kind: 'reply', text: 'Installed and reviewed.' }])
    const run = await runStep(job)
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Installing OpenCode ${DEFAULTS['opencode-version']} from npm`)
    expect(existsSync(cached())).toBe(true)
    expect(world.github.reviews[0].body).toContain('Installed and reviewed.')
    expect(processesIn(job.dir)).toEqual([])
  })

  it('finds it in the tool cache on the next run', async () => {
    world.model.script([{ kind: 'reply', text: 'Second run.' }])
    const run = await runStep(job)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Using OpenCode ${DEFAULTS['opencode-version']} from the tool cache: ${cached()}`)
    expect(run.stdout).not.toContain('Installing OpenCode')
  })

  it('does not review with an opencode of another version found on PATH', async () => {
    // A stand-in `opencode` that serves /global/health as version "fake".
    const otherBin = mkdtempSync(path.join(job.dir, 'other-opencode-'))
    symlinkSync(path.join(ROOT, '__fixtures__/bin/fake-serve.mjs'), path.join(otherBin, 'opencode'))
    world.model.script([{ kind: 'reply', text: 'Right version.' }])
    const run = await runStep({
      ...job,
      env: {
        ...job.env,
        PATH: `${otherBin}:${job.env.PATH}`,
        RUNNER_TOOL_CACHE: mkdtempSync(path.join(job.dir, 'empty-tool-cache-'))
      }
    })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`The OpenCode on PATH is version fake, not ${DEFAULTS['opencode-version']}.`)
    expect(run.stdout).toContain(`OpenCode ${DEFAULTS['opencode-version']} ready in`)
    expect(world.github.reviews.at(-1).body).toContain('Right version.')
  })

  it('fails clearly for a version that does not exist', async () => {
    const run = await runStep({ ...job, env: { ...job.env, 'INPUT_OPENCODE-VERSION': '0.0.0-nonexistent' } })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain('Could not install OpenCode 0.0.0-nonexistent with npm')
    expect(processesIn(job.dir)).toEqual([])
  })
})
