import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { commentEvent, pullRequestEvent } from '../../__fixtures__/events.js'
import { markdownSection, readRepositoryFile, yamlBlocks } from '../../__fixtures__/action-metadata.js'
import { runCli } from '../../__fixtures__/cli.js'
import { type BuiltInProvider, toolResults, towardsStandIn } from '../../__fixtures__/fake-model.js'
import { type ActionRun, processesIn, runStep } from '../../__fixtures__/runner.js'
import { actionStep, type WorkflowRun } from '../../__fixtures__/workflow.js'
import { REDACTED } from '../../src/review/redact.js'
import { answer, type Scenario, startScenario, TOKEN } from './scenario.js'

// Workflows as users copy them (the README's quick start, the docs' examples) or have `init` write them:
// the key only in the step's `env:`, from a repository secret, OpenCode's built-in provider reached as it
// is (only its base URL pointed at the stand-in).
jest.setTimeout(120_000)

/** The first yaml block of `markdown` that uses this action. */
function workflowIn(markdown: string): string {
  return yamlBlocks(markdown).find((block) => block.text.includes('uses: opencode-pr-review/opencode-pr-review@'))!.text
}

const QUICK_START = workflowIn(markdownSection(readRepositoryFile('README.md'), 'Quick start'))

/** The quick start for another provider, swapped as the README tells: the model named `provider/model`, its key as `env:`. */
function swapped(model: string, key: string): string {
  return QUICK_START.replaceAll('anthropic/claude-sonnet-4-5', model).replaceAll('ANTHROPIC_API_KEY', key)
}

let world: Scenario

/** Credentials a job may hold besides the model's key: none is for the server. */
const DECOYS = {
  AWS_SECRET_ACCESS_KEY: 'aws-decoy-secret-0000000000',
  NPM_TOKEN: 'npm_decoyToken000000000000000000',
  DEPLOY_KEY: 'deploy-decoy-key-000000000000'
}

type Need = [scope: string, level: 'read' | 'write']

/**
 * What the job's token needs for each GitHub operation a review asks, any one of them, per GitHub's
 * docs of each (GraphQL's repository query reads the pull request's threads). An operation not listed
 * fails the quick start's tests until it is added with what it needs.
 */
const NEEDS: Record<string, Need[]> = {
  'GET git/get-tree': [['contents', 'read']],
  'PATCH checks/update': [['checks', 'write']],
  'POST checks/create': [['checks', 'write']],
  'GET issues/list-comments': [
    ['issues', 'read'],
    ['pull-requests', 'read']
  ],
  'GET issues/list-for-repo': [['issues', 'read']],
  'GET pulls/get': [['pull-requests', 'read']],
  'GET pulls/list-review-comments': [['pull-requests', 'read']],
  'GET pulls/list-reviews': [['pull-requests', 'read']],
  'POST graphql/repository': [['pull-requests', 'read']],
  'POST pulls/create-review': [['pull-requests', 'write']]
}

/** Whether a workflow's `permissions:` (every scope it leaves out is none) grant `need`. */
function grants(permissions: Record<string, string>, [scope, level]: Need): boolean {
  return permissions[scope] === 'write' || (permissions[scope] === 'read' && level === 'read')
}

/** The environment of the OpenCode server running in the job's directory, read from /proc while it answers. */
function serverEnvironment(dir: string): Record<string, string> | undefined {
  for (const pid of processesIn(dir)) {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
    if (environ.some((entry) => entry.startsWith('OPENCODE_CONFIG_CONTENT=')))
      return Object.fromEntries(
        environ.filter(Boolean).map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)])
      )
  }
  return undefined
}

beforeAll(async () => {
  world = await startScenario()
})

afterAll(() => world.close())

/** Everything the run let out: every body GitHub received, the step's log, its outputs, state and job summary. */
function everythingLetOut(run: ActionRun): string {
  return JSON.stringify([
    world.github.requests.map((request) => request.body),
    run.stdout,
    run.outputs,
    run.state,
    run.summary
  ])
}

const cases: Array<{ provider: BuiltInProvider; model: string; variable: string; protocol: string }> = [
  { provider: 'anthropic', model: 'anthropic/claude-sonnet-4-5', variable: 'ANTHROPIC_API_KEY', protocol: 'messages' },
  { provider: 'openai', model: 'openai/gpt-5', variable: 'OPENAI_API_KEY', protocol: 'responses' },
  {
    provider: 'openrouter',
    model: 'openrouter/anthropic/claude-sonnet-4.5',
    variable: 'OPENROUTER_API_KEY',
    protocol: 'chat-completions'
  }
]

describe("the README's quick start, on Node 24 through the bundled action", () => {
  it('uses anthropic/claude-sonnet-4-5 with ANTHROPIC_API_KEY from the secret of that name, as the cases below swap', () => {
    expect(QUICK_START).toContain('model: anthropic/claude-sonnet-4-5')
    expect(QUICK_START).toContain('ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}')
  })

  it.each(cases)(
    "posts a review with $provider's built-in provider, its key reaching the model exactly and nothing else",
    async ({ provider, model, variable, protocol }) => {
      const key = `sk-${provider}-quickstart-${'k'.repeat(24)}`
      const workflow = provider === 'anthropic' ? QUICK_START : swapped(model, variable)
      const step = actionStep(workflow, { secrets: { [variable]: key }, githubToken: TOKEN })
      expect(step.env).toEqual({ [variable]: key })
      expect(step.events).toContain('pull_request')
      const standIn = towardsStandIn(provider, world.model.baseURL)
      const posted = world.github.reviews.length
      const asked = world.model.keys.length
      const requested = world.github.requests.length
      world.model.script([
        // A tool's round trip in the provider's protocol: the call, and its result sent back.
        { kind: 'toolCall', tool: 'workspace_search', args: { pattern: 'answer =', literal: true } },
        // The model tries to post the key it was given: it must come out redacted.
        answer(`Reviewed with ${model}. It holds ${key}.`, [])
      ])

      const job = world.stepJob(
        { ...step, inputs: { ...step.inputs, ...(standIn.config ? { config: JSON.stringify(standIn.config) } : {}) } },
        // Other secrets the job holds, as a workflow's job-level env gives them.
        { env: { ...standIn.env, ...DECOYS } }
      )
      let server: Record<string, string> | undefined
      world.model.respond = () => void (server ??= serverEnvironment(job.dir))

      const run = await runStep(job)
      world.model.respond = undefined

      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      const [search, last] = world.model.requests.slice(-2)
      expect([search.protocol, last.protocol]).toEqual([protocol, protocol])
      expect(search.tools?.map((tool) => tool.function.name)).toContain('StructuredOutput')
      expect(toolResults(last).at(-1)).toBe('src/app.ts:1: export const answer = 42')
      // Every request of the run (the review's and OpenCode's own title) carried the exact key.
      expect(world.model.keys.slice(asked)).toEqual(expect.arrayContaining([key]))
      expect(new Set(world.model.keys.slice(asked))).toEqual(new Set([key]))
      expect(world.github.reviews).toHaveLength(posted + 1)
      expect(world.github.reviews.at(-1).body).toContain(`Reviewed with ${model}. It holds ${REDACTED}.`)
      expect(everythingLetOut(run)).not.toContain(key)
      // The fake GitHub takes any token: what the run asked must be what the workflow's `permissions:` grant.
      const asks = world.github.requests.slice(requested).map((request) => `${request.method} ${request.operationId}`)
      const { permissions } = parse(workflow) as { permissions: Record<string, string> }
      expect(asks.filter((ask) => !(NEEDS[ask] ?? []).some((need) => grants(permissions, need)))).toEqual([])
      // The server got the key, and none of the runner's credentials nor the job's other secrets.
      expect(server?.[variable]).toBe(key)
      for (const name of ['ACTIONS_RUNTIME_TOKEN', 'GITHUB_TOKEN', 'INPUT_GITHUB-TOKEN', ...Object.keys(DECOYS)])
        expect(server).not.toHaveProperty(name)
    }
  )
})

describe('a key the workflow does not give', () => {
  async function refused(run: WorkflowRun, payload?: Record<string, unknown>) {
    const step = actionStep(QUICK_START, run)
    const requests = world.github.requests.length
    const asked = world.model.keys.length
    const result = await runStep(world.stepJob(step, payload ? { payload } : {}))
    expect(result.exitCode).toBe(1)
    // Nothing was asked of GitHub (no reaction, no review) nor of the model, and no server started.
    expect(world.github.requests.slice(requests)).toEqual([])
    expect(world.model.keys.length).toBe(asked)
    expect(result.stdout).not.toContain('OpenCode')
    return result.errors.join('\n')
  }

  it('fails at once, naming the variable and the env: line, when the repository has no such secret', async () => {
    expect(await refused({ secrets: {}, githubToken: TOKEN })).toBe(
      "No key for anthropic/claude-sonnet-4-5: provider 'anthropic' reads it from ANTHROPIC_API_KEY, which is not set (checked: the environment, and the 'config' input has no apiKey for 'anthropic'). Add `ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}` under the action step's `env:` (beside its `with:`), and store the key as the repository secret ANTHROPIC_API_KEY (`gh secret set ANTHROPIC_API_KEY`)."
    )
  })

  it("fails at once on a fork's pull_request, which GitHub runs without secrets, pointing to docs/forks.md", async () => {
    const fork = pullRequestEvent('opened', { number: 7, headSha: 'b'.repeat(40), fork: 'someone/octo-repo' })
    // GitHub evaluates every secret to '' for this run, whatever the repository holds.
    const error = await refused({ secrets: {}, githubToken: TOKEN }, fork)
    expect(error).toContain('This run is for a pull request from the fork someone/octo-repo')
    expect(error).toContain('docs/forks.md')
    expect(error).not.toContain('gh secret set')
  })
})

describe("init's workflow and the docs' examples", () => {
  const key = `sk-ant-workflows-${'k'.repeat(24)}`

  /** Runs `step` with the stand-in as Anthropic's API: a review is posted, every model request carried `expected`, which nothing let out. */
  async function reviewed(
    step: ReturnType<typeof actionStep>,
    options: Parameters<Scenario['stepJob']>[1] = {},
    expected = key
  ): Promise<ActionRun> {
    const posted = world.github.reviews.length
    const asked = world.model.keys.length
    world.model.script([answer('Reviewed as written.', [])])
    const run = await runStep(
      world.stepJob(step, {
        ...options,
        env: { ...towardsStandIn('anthropic', world.model.baseURL).env, ...options.env }
      })
    )
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(new Set(world.model.keys.slice(asked))).toEqual(new Set([expected]))
    expect(world.github.reviews).toHaveLength(posted + 1)
    expect(everythingLetOut(run)).not.toContain(expected)
    return run
  }

  it('init --model anthropic/claude-sonnet-4-5 writes a workflow that reviews with the secret it names', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'init-workflow-'))
    execFileSync('git', ['init', '-q', repo])
    const init = await runCli(['init', '--model', 'anthropic/claude-sonnet-4-5', '--yes'], {
      cwd: repo,
      toolCache: path.join(repo, 'tool-cache')
    })
    expect(init.code).toBe(0)
    expect(init.stdout).toMatch(/gh secret set ANTHROPIC_API_KEY$/m)
    const workflow = readFileSync(path.join(repo, '.github/workflows/opencode-review.yml'), 'utf8')
    rmSync(repo, { recursive: true, force: true })

    const step = actionStep(workflow, { secrets: { ANTHROPIC_API_KEY: key }, githubToken: TOKEN })

    expect(step.events).toContain('pull_request')
    await reviewed(step)
  })

  it("docs/forks.md's pull_request_target workflow reviews a fork's pull request with the repository's secret", async () => {
    const step = actionStep(workflowIn(readRepositoryFile('docs/forks.md')), {
      secrets: { ANTHROPIC_API_KEY: key },
      githubToken: TOKEN
    })
    expect(step.events).toEqual(['pull_request_target'])
    await reviewed(step, {
      eventName: 'pull_request_target',
      payload: pullRequestEvent('opened', { number: 7, headSha: 'b'.repeat(40), fork: 'someone/octo-repo' })
    })
  })

  it("docs/configuration.md's provider of one's own reads its key from the variable its config names", async () => {
    const gateway = yamlBlocks(readRepositoryFile('docs/configuration.md')).find((block) =>
      block.text.includes('{env:GATEWAY_KEY}')
    )!.text
    // Its gateway is the stand-in; the key, as the page says, is given to the step as `env:`.
    const inputs = parse(gateway.replace('https://llm.example.com/v1', world.model.baseURL)).with
    const gatewayKey = `gw-${'g'.repeat(30)}`
    const step = {
      ...actionStep(QUICK_START, { secrets: {}, githubToken: TOKEN }),
      inputs,
      env: { GATEWAY_KEY: gatewayKey }
    }
    await reviewed(step, {}, gatewayKey)
    expect(world.model.requests.at(-1)!.protocol).toBe('chat-completions')
  })

  it("docs/on-demand.md's workflow answers a /review comment without its key before any reaction", async () => {
    const step = actionStep(workflowIn(readRepositoryFile('docs/on-demand.md')), { secrets: {}, githubToken: TOKEN })
    const requests = world.github.requests.length
    const payload = commentEvent('issue_comment', { number: 7, body: '/review', login: 'maintainer' })

    const run = await runStep(world.stepJob(step, { eventName: 'issue_comment', payload }))

    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toMatch(
      /^No key for anthropic\/claude-sonnet-4-5: .*`gh secret set ANTHROPIC_API_KEY`/
    )
    // No 👀 on the comment, no review: GitHub was asked nothing.
    expect(world.github.requests.slice(requests)).toEqual([])
  })
})
