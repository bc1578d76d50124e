import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import {
  FAKE_MODEL,
  FAKE_PROVIDER,
  type FakeModel,
  fakeProviderConfig,
  type ModelTurn,
  promptText,
  startFakeModel,
  toolResults
} from '../../__fixtures__/fake-model.js'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { sendMessage } from '../../__fixtures__/opencode-session.js'
import { PLUGIN_LOAD_WINDOW_MS } from '../../__fixtures__/project-files.js'
import { commitRepository, writeFiles } from '../../__fixtures__/repository.js'
import { type ActionRun, commitWorkspace, type Job, OPENCODE_BIN_DIR, runStep } from '../../__fixtures__/runner.js'
import { serverEnvironment } from '../../src/opencode/config.js'
import { createOpencodeHome } from '../../src/opencode/home.js'
import { basicAuthorization, type OpencodeServer, startServer } from '../../src/opencode/server.js'
import { pull, type Scenario, startScenario } from './scenario.js'

// Where a runner keeps its folders must not decide what the reviewer reads or runs. In each layout below, a git
// work tree around RUNNER_TEMP holds a plugin and a secret: the action runs the one and reads the other in none of
// them. The controls boot OpenCode as the reviewer's snapshot did, in a plain folder of the run, and show it
// taking that work tree for its project, which opens it all.
jest.setTimeout(300_000)

const SECRET = 'PRIVATE-KEY-OF-THE-LAYOUT'

interface Layout {
  name: string
  number: number
  /** The git work tree around the runner's folders. */
  around: string
  runnerTemp: string
  secret: string
  plugin: string
  env?: Record<string, string>
  job: Job
  run?: ActionRun
}

/** A plugin at `root`'s .opencode/plugin/ that leaves a marker when it runs; returns the marker. */
function writePlugin(root: string, marker: string): string {
  writeFiles(root, {
    '.opencode/plugin/plugin.js': `import { writeFileSync } from 'fs'\nwriteFileSync(${JSON.stringify(marker)}, 'ran')\nexport const Plugin = async () => ({})\n`
  })
  return marker
}

/** A git work tree in the job's folder, holding a committed secret and a plugin, the runner's temporary folder inside it. */
function repositoryAround(
  job: Job,
  given: { name: string; number: number; folder: string; secret: string; runnerTemp: string }
): Layout {
  const around = path.join(job.dir, given.folder)
  commitRepository(around, { [given.secret]: `${SECRET}\n` })
  return {
    name: given.name,
    number: given.number,
    job,
    around,
    runnerTemp: path.join(around, given.runnerTemp),
    secret: path.join(around, given.secret),
    plugin: writePlugin(around, path.join(job.dir, 'plugin-ran'))
  }
}

let world: Scenario
let controlModel: FakeModel
const layouts: Layout[] = []
/** The turns of each layout's review: every way to the secret, then an answer given a plugin window later. */
const turns = (layout: Layout): ModelTurn[] => [
  { kind: 'toolCall', tool: 'workspace_read', args: { path: layout.secret } },
  { kind: 'toolCall', tool: 'read', args: { filePath: layout.secret } },
  { kind: 'toolCall', tool: 'workspace_read', args: { path: path.relative(layout.runnerTemp, layout.secret) } },
  // Never spelled out: only what it finds could bring the secret into a request.
  { kind: 'toolCall', tool: 'workspace_search', args: { pattern: `${SECRET.slice(0, -1)}[${SECRET.at(-1)}]` } },
  { kind: 'slowReply', text: 'Reviewed.', contentAfterMs: PLUGIN_LOAD_WINDOW_MS }
]

beforeAll(async () => {
  world = await startScenario([21, 22, 23, 24].map((number) => pull(number)))
  controlModel = await startFakeModel()
  const [first, second, third, fourth] = [21, 22, 23, 24].map((number) =>
    world.job({ payload: pullRequestEvent('opened', { number }), inputs: { 'review-timeout': '120' } })
  )
  // 1. The runner's folders inside a git work tree: a self-hosted runner kept in a repository.
  layouts.push(
    repositoryAround(first, {
      name: 'RUNNER_TEMP inside a git work tree',
      number: 21,
      folder: 'outer',
      secret: 'secret.txt',
      runnerTemp: 'runner/_temp'
    })
  )
  // 2. The runner's folders inside the checkout: the pull request's own plugin sits above them, and what the
  // workflow left untracked beside it.
  {
    const around = second.workspace
    const plugin = writePlugin(around, path.join(second.dir, 'plugin-ran'))
    commitWorkspace(around)
    writeFiles(around, { 'secret.txt': `${SECRET}\n` })
    layouts.push({
      name: 'RUNNER_TEMP inside the checkout',
      number: 22,
      job: second,
      around,
      runnerTemp: path.join(around, '.runner/_temp'),
      secret: path.join(around, 'secret.txt'),
      plugin
    })
  }
  // 3. $HOME a repository, the runner installed in it: the case measured on main, a private key posted.
  const home = repositoryAround(third, {
    name: '$HOME a repository',
    number: 23,
    folder: 'home',
    secret: '.ssh/id_rsa',
    runnerTemp: 'actions-runner/_work/_temp'
  })
  layouts.push({ ...home, env: { HOME: home.around } })
  // 4. A `.git` file in a parent, naming a repository elsewhere (a submodule's, a linked worktree's).
  {
    const elsewhere = path.join(fourth.dir, 'elsewhere')
    commitRepository(elsewhere, { 'README.md': 'elsewhere\n' })
    const around = path.join(fourth.dir, 'parent')
    mkdirSync(around)
    writeFileSync(path.join(around, '.git'), `gitdir: ${path.join(elsewhere, '.git')}\n`)
    writeFiles(around, { 'secret.txt': `${SECRET}\n` })
    layouts.push({
      name: 'a .git file in a parent',
      number: 24,
      job: fourth,
      around,
      runnerTemp: path.join(around, 'temp'),
      secret: path.join(around, 'secret.txt'),
      plugin: writePlugin(around, path.join(fourth.dir, 'plugin-ran'))
    })
  }
  for (const layout of layouts) {
    mkdirSync(layout.runnerTemp, { recursive: true })
    Object.assign(layout.job.env, { RUNNER_TEMP: layout.runnerTemp, ...layout.env })
  }
  const byNumber = new Map(layouts.map((layout) => [layout.number, turns(layout)]))
  world.model.respond = (request) => {
    const number = Number(/Pull request #(\d+)/.exec(promptText(request))?.[1])
    return byNumber.get(number)?.shift()
  }
  await Promise.all(layouts.map(async (layout) => (layout.run = await runStep(layout.job))))
}, 300_000)

afterAll(async () => {
  await controlModel.close()
  await world.close()
})

/** The requests of one layout's review, in order. */
const requestsOf = (layout: Layout) =>
  world.model.requests.filter((request) => promptText(request).includes(`Pull request #${layout.number}:`))

const LAYOUTS = [
  'RUNNER_TEMP inside a git work tree',
  'RUNNER_TEMP inside the checkout',
  '$HOME a repository',
  'a .git file in a parent'
]

describe('the action, with the runner’s folders', () => {
  it.each(LAYOUTS.map((name, index) => [name, index] as const))(
    '%s: reviews, reading nothing of the work tree around and running none of its plugins',
    (name, index) => {
      const layout = layouts[index]
      expect(layout.name).toBe(name)
      const { run, plugin, secret } = layout
      expect(run?.errors).toEqual([])
      expect(run?.exitCode).toBe(0)
      const requests = requestsOf(layout)
      expect(requests).toHaveLength(5)
      const results = requests.map((request) => toolResults(request).at(-1) ?? '')
      expect(results[1]).toContain("is not relative to the repository's root")
      expect(results[2]).toContain('Model tried to call unavailable tool')
      expect(results[3]).toMatch(/climbs out with '\.\.'|There is no file/)
      expect(results[4]).toBe('No matches.')
      for (const request of requests) expect(JSON.stringify(request)).not.toContain(SECRET)
      expect(existsSync(plugin)).toBe(false)
      expect(existsSync(secret)).toBe(true)
    }
  )
})

/** OpenCode booted as the reviewer's snapshot booted it: in a plain folder of the run, its own read tool allowed. */
async function bootAsBefore(layout: Layout, config: Record<string, unknown> = {}): Promise<OpencodeServer> {
  const run = path.join(layout.runnerTemp, 'control')
  const folder = path.join(run, 'workspace')
  mkdirSync(folder, { recursive: true })
  const home = createOpencodeHome(run, '1.18.33')
  return startServer({
    binary: path.join(OPENCODE_BIN_DIR, 'opencode'),
    cwd: folder,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: layout.env?.HOME ?? path.join(run, 'home'),
      ...home.environment,
      ...serverEnvironment({ pullRequest: true, ownOpencode: false })
    },
    config: JSON.stringify({
      ...fakeProviderConfig(controlModel.baseURL),
      model: `${FAKE_PROVIDER}/${FAKE_MODEL}`,
      permission: { '*': 'deny', read: 'allow', external_directory: 'deny' },
      ...config
    }),
    startupTimeoutMs: 60_000,
    log: fakeLogger()
  })
}

describe('the controls: OpenCode in a plain folder of the run, as the snapshot ran it', () => {
  /** The folder of layout 3 holds the pull request's files, as the snapshot did: a prompt and a linter of its own. */
  const linted = () => path.join(layouts[2].runnerTemp, 'linter-ran')
  let servers: OpencodeServer[] = []

  beforeAll(async () => {
    writeFiles(path.join(layouts[2].runnerTemp, 'control/workspace'), {
      'prompt.md': 'HOSTILE-PROMPT-FROM-THE-PULL-REQUEST\n',
      'package.json': '{"name": "pull-request", "devDependencies": {"oxlint": "1.0.0"}}\n',
      'src/app.ts': 'export const answer = 42\n',
      'node_modules/.bin/oxlint': { executable: `#!/bin/sh\ntouch ${linted()}\nexit 1\n` },
      'node_modules/.bin/oxc_language_server': { executable: `#!/bin/sh\ntouch ${linted()}\nexit 1\n` }
    })
    // Its server reads the pull request's prompt and starts language servers; a missing {file:} fails the others' config.
    const own = { lsp: true, agent: { reviewer: { mode: 'primary', prompt: '{file:prompt.md}' } } }
    servers = await Promise.all(layouts.map((layout, index) => bootAsBefore(layout, index === 2 ? own : {})))
  })

  afterAll(() => Promise.all(servers.map((server) => server.stop())))

  it('takes the work tree around it for its project, in every layout', async () => {
    for (const [index, server] of servers.entries()) {
      const headers = { authorization: basicAuthorization(server.password) }
      const paths = (await (await fetch(`${server.url}/path`, { headers })).json()) as { worktree: string }
      expect(paths.worktree).toBe(layouts[index].around)
    }
  })

  it('so reads the secret around it and runs its plugin ($HOME a repository); {file:} takes the pull request’s file; lsp runs its linter', async () => {
    const layout = layouts[2]
    const server = servers[2]
    controlModel.script([
      { kind: 'toolCall', tool: 'read', args: { filePath: layout.secret } },
      {
        kind: 'toolCall',
        tool: 'read',
        args: { filePath: path.join(layout.runnerTemp, 'control/workspace/src/app.ts') }
      },
      { kind: 'reply', text: 'ok' }
    ])
    expect(await sendMessage(server, 'Review.', 'reviewer')).toBe(200)
    // Plugins load a few seconds after the first message.
    const deadline = Date.now() + 3 * PLUGIN_LOAD_WINDOW_MS
    while (!(existsSync(layout.plugin) && existsSync(linted())) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250))
    expect(toolResults(controlModel.requests[1]).at(-1)).toContain(SECRET)
    expect(existsSync(layout.plugin)).toBe(true)
    expect(promptText(controlModel.requests[0])).toContain('HOSTILE-PROMPT-FROM-THE-PULL-REQUEST')
    expect(existsSync(linted())).toBe(true)
  })
})

describe('{file:} in the config, when the files are a pull request’s', () => {
  it('is refused before anything starts, whether relative or into the checkout, saying what to give instead', async () => {
    const job = world.job({ payload: pullRequestEvent('opened', { number: 21 }) })
    writeFiles(job.workspace, { 'prompt.md': 'HOSTILE-PROMPT-FROM-THE-PULL-REQUEST\n' })
    commitWorkspace(job.workspace)
    const requested = world.model.requests.length
    const reviews = world.github.reviews.length
    for (const reference of ['prompt.md', '../../workspace/prompt.md', path.join(job.workspace, 'prompt.md')]) {
      const config = {
        ...fakeProviderConfig(world.model.baseURL),
        agent: { house: { mode: 'primary', prompt: `{file:${reference}}` } }
      }
      const run = await runStep({
        ...job,
        env: { ...job.env, INPUT_AGENT: 'house', INPUT_CONFIG: JSON.stringify(config) }
      })
      expect(run.exitCode).toBe(1)
      expect(run.errors.join('\n')).toContain(`names {file:${reference}}`)
      expect(run.errors.join('\n')).toContain("A pull request's file must never become the reviewer's configuration")
    }
    expect(world.model.requests.length).toBe(requested)
    expect(world.github.reviews).toHaveLength(reviews)
  })
})
