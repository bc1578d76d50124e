import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { FAKE_MODEL, FAKE_PROVIDER, fakeProviderConfig } from '../../__fixtures__/fake-model.js'
import { listing } from '../../__fixtures__/listing.js'
import { startRegistry } from '../../__fixtures__/npm-registry.js'
import { runStep, startStep } from '../../__fixtures__/runner.js'
import { pull, type Scenario, startScenario } from './scenario.js'

// OpenCode keeps its files under HOME and installs @opencode-ai/plugin there through npm while a session runs.
jest.setTimeout(180_000)

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50))
}

let world: Scenario
/** The runner's HOME, fresh: as a GitHub-hosted runner's, it holds nothing of OpenCode. */
let home: string

beforeEach(async () => {
  world = await startScenario([pull(3)])
  home = mkdtempSync(path.join(tmpdir(), 'runner-home-'))
})

afterEach(async () => {
  rmSync(home, { recursive: true, force: true })
  await world.close()
})

describe('a review on a fresh runner', () => {
  it('installs nothing and leaves HOME as it was, however long the model thinks', async () => {
    const registry = await startRegistry()
    // Priced, so the footer shows what the review cost.
    const config = fakeProviderConfig(world.model.baseURL) as {
      provider: Record<string, { models: Record<string, object> }>
    }
    const { models } = config.provider[FAKE_PROVIDER]
    models[FAKE_MODEL] = { ...models[FAKE_MODEL], cost: { input: 3, output: 15 } }
    const job = world.job({
      env: { HOME: home, npm_config_registry: registry.url },
      inputs: { config: JSON.stringify(config) }
    })
    const runnerTemp = job.env.RUNNER_TEMP
    world.model.script([{ kind: 'slowReply', text: 'Reviewed slowly.', contentAfterMs: 60_000 }])
    const before = listing(home)
    const seen = new Set<string>()
    const main = startStep(job)
    const watch = setInterval(() => {
      try {
        for (const entry of readdirSync(runnerTemp, { recursive: true, encoding: 'utf8' })) seen.add(entry)
      } catch {
        // A file went while it was listed.
      }
    }, 1000)
    const run = await main.done
    clearInterval(watch)
    await registry.close()

    expect(run.exitCode).toBe(0)
    expect(world.github.reviews).toHaveLength(1)
    expect(world.github.reviews[0].body).toContain('Reviewed slowly.')
    expect(world.github.reviews[0].body).toContain('1,200 in / 80 out tokens · $0.0048')
    expect(registry.requests).toEqual([])
    expect(listing(home)).toEqual(before)
    // OpenCode ran in one directory of the run's own, nothing was installed there, and it is gone.
    expect(new Set([...seen].map((entry) => entry.split(path.sep)[0])).size).toBe(1)
    expect([...seen].filter((entry) => entry.includes(`node_modules${path.sep}`))).toEqual([])
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})

describe('the post step', () => {
  it('removes the run’s directory (OpenCode’s project root and files) a killed main step left behind', async () => {
    const job = world.job({ env: { HOME: home } })
    const runnerTemp = job.env.RUNNER_TEMP
    world.model.script([{ kind: 'hang' }])
    const main = startStep(job)
    await until(() => world.model.requests.length > 0)
    const [opencodeDir] = readdirSync(runnerTemp)
    process.kill(main.pid, 'SIGKILL')
    await main.done
    expect(existsSync(path.join(runnerTemp, opencodeDir, 'workspace/.git'))).toBe(true)

    const post = await runStep(job, 'post')

    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(
      `Removed the review's directory ${path.join(runnerTemp, opencodeDir)} (OpenCode's project root and files) left by the main step.`
    )
    expect(readdirSync(runnerTemp)).toEqual([])
    expect(listing(home)).toEqual([])
  })
})
