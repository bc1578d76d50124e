import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { startRegistry } from '../../__fixtures__/npm-registry.js'
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

  it('resolves `latest` with the runner’s npm configuration, never the pull request’s .npmrc, and installs only a version', async () => {
    // The runner's registry (a mirror gone bad) answers a path where a version belongs; the checkout names another.
    const evil = path.join(job.dir, 'evil')
    const registry = await startRegistry({
      'opencode-ai': {
        name: 'opencode-ai',
        'dist-tags': { latest: '9.9.9' },
        versions: { '9.9.9': { name: 'opencode-ai', version: `file:${evil}` } }
      }
    })
    const pullRequestRegistry = await startRegistry()
    writeFileSync(path.join(job.workspace, '.npmrc'), `registry=${pullRequestRegistry.url}\n`)
    try {
      const run = await runStep({
        ...job,
        env: { ...job.env, 'INPUT_OPENCODE-VERSION': 'latest', npm_config_registry: registry.url }
      })
      expect(run.exitCode).toBe(1)
      expect(run.errors.join('\n')).toContain(
        `Input 'opencode-version' is 'latest', and the npm registry answered "file:${evil}", which is no published version.`
      )
      expect(registry.requests).toEqual(['GET /opencode-ai'])
      expect(pullRequestRegistry.requests).toEqual([])

      // The control: npm run in the checkout, as the action ran it, asks the registry the pull request names.
      // That registry has nothing: what counts is that it was asked.
      await promisify(execFile)('npm', ['view', 'opencode-ai@latest', 'version'], { cwd: job.workspace }).catch(
        () => undefined
      )
      expect(pullRequestRegistry.requests).toEqual(['GET /opencode-ai'])
    } finally {
      await registry.close()
      await pullRequestRegistry.close()
    }
  })
})
