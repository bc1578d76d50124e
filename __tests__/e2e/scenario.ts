import { expect } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import {
  type FakeGitHub,
  type FakeGitHubOptions,
  type FakePullRequestSeed,
  startFakeGitHub
} from '../../__fixtures__/fake-github.js'
import {
  FAKE_MODEL,
  FAKE_PROVIDER,
  type FakeModel,
  fakeProviderConfig,
  type ModelTurn,
  startFakeModel
} from '../../__fixtures__/fake-model.js'
import { type Job, type JobOptions, prepareJob, processesIn, ROOT } from '../../__fixtures__/runner.js'
import type { ActionStep } from '../../__fixtures__/workflow.js'

/** One test's world: the fake model, the fake GitHub holding pull requests, and jobs that run the action against both. */

export const TOKEN = 'ghs_e2eTestToken0000000000000000000000000'
export const REAL_WORLD_DIFF = readFileSync(path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8')

/** The files of REAL_WORLD_DIFF's head that findings sit on, as the contents API serves them at the head commit. */
export const REAL_WORLD_HEAD = {
  'src/keep.ts': 'line1\nline2 changed\nline3\nline4 ++ added\n',
  'src/new-name.ts': 'old content\nto be renamed\nthird\nfourth changed\n'
}

export function pull(number: number, seed: Partial<FakePullRequestSeed> = {}): FakePullRequestSeed {
  return {
    number,
    title: `Pull request ${number}`,
    body: 'Changes things.',
    headSha: 'b'.repeat(40),
    baseSha: 'a'.repeat(40),
    headRef: 'feature',
    baseRef: 'main',
    diff: REAL_WORLD_DIFF,
    headFiles: REAL_WORLD_HEAD,
    ...seed
  }
}

export interface Scenario {
  model: FakeModel
  github: FakeGitHub
  /** A job for `pull_request` `opened` on the first pull request, unless told otherwise. */
  job(options?: Partial<Omit<JobOptions, 'apiUrl'>>): Job
  /** A job that runs the action as a workflow's step gives it: that step's `with:` and `env:` alone, over the runner's environment and `env`. */
  stepJob(step: ActionStep, options?: Partial<Omit<JobOptions, 'apiUrl' | 'inputs'>>): Job
  /** Stops the fakes and checks that nothing outlived the runs and GitHub saw no request outside its API description. */
  close(): Promise<void>
}

/** `repository` seeds the fake GitHub beyond its pull requests: files, permissions, comparisons. */
export async function startScenario(
  pulls: FakePullRequestSeed[] = [pull(7)],
  repository: Omit<FakeGitHubOptions, 'token' | 'pulls'> = {}
): Promise<Scenario> {
  const model = await startFakeModel()
  const github = await startFakeGitHub({ token: TOKEN, pulls, ...repository })
  const jobs: Job[] = []
  /** A `pull_request` `opened` job on the first pull request unless `options` say otherwise, against both fakes. */
  const open = (options: Partial<Omit<JobOptions, 'apiUrl'>>, inputs: Record<string, string>): Job => {
    const job = prepareJob({
      eventName: 'pull_request',
      payload: pullRequestEvent('opened', { number: pulls[0].number, headSha: pulls[0].headSha }),
      ...options,
      apiUrl: github.url,
      // `github-token` is left to action.yml's default, `${{ github.token }}`, as in most workflows.
      githubToken: TOKEN,
      inputs
    })
    jobs.push(job)
    return job
  }
  return {
    model,
    github,
    job(options = {}) {
      const inputs = {
        model: `${FAKE_PROVIDER}/${FAKE_MODEL}`,
        config: JSON.stringify(fakeProviderConfig(model.baseURL))
      }
      return open(options, { ...inputs, ...options.inputs })
    },
    stepJob(step, options = {}) {
      return open({ ...options, env: { ...step.env, ...options.env } }, step.inputs)
    },
    async close() {
      await model.close()
      await github.close()
      for (const job of jobs) {
        const stray = processesIn(job.dir)
        for (const pid of stray) process.kill(pid, 'SIGKILL')
        rmSync(job.dir, { recursive: true, force: true })
        expect(stray).toEqual([])
      }
      expect(github.violations).toEqual([])
    }
  }
}

/** The model's answer through OpenCode's structured output, as a real model calls the tool. */
export function answer(summary: string, findings: Array<Record<string, unknown>>): ModelTurn {
  return { kind: 'toolCall', tool: 'StructuredOutput', args: { summary, findings } }
}

/** The tools that read the repository, the only ones a reviewer is offered besides the one its structured answer comes back through. */
export const WORKSPACE_TOOLS = ['workspace_glob', 'workspace_list', 'workspace_read', 'workspace_search']
export const READ_ONLY_TOOLS = ['StructuredOutput', ...WORKSPACE_TOOLS]
