import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type FakeGitHub, type FakePullRequestSeed, startFakeGitHub } from '../../../__fixtures__/fake-github.js'
import {
  FAKE_MODEL,
  FAKE_PROVIDER,
  type FakeModel,
  fakeProviderConfig,
  promptText,
  startFakeModel,
  toolResults
} from '../../../__fixtures__/fake-model.js'
import { type CliRun, runCli } from '../../../__fixtures__/cli.js'
import { PLUGIN_LOAD_WINDOW_MS, writeHostileProjectFiles } from '../../../__fixtures__/project-files.js'
import { commitRepository, commitWithDotGit } from '../../../__fixtures__/repository.js'
import { commitWorkspace, processesIn } from '../../../__fixtures__/runner.js'
import { PROVIDER_HEADER_TIMEOUT_MS } from '../../../src/opencode/config.js'
import { pull, TOKEN } from '../scenario.js'

// The local command, run as a developer runs it, against the real OpenCode server.
jest.setTimeout(180_000)

/** A provider that never answers fails the command within a minute, as it fails the action, not at --timeout. */
const UNREACHABLE_WITHIN_MS = 60_000

let model: FakeModel
let github: FakeGitHub
let repo: string
/** The fake GitHub's pull requests: it reads them as they are when asked. */
const pulls: FakePullRequestSeed[] = []

function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return runCli(args, { cwd: options.cwd ?? repo, toolCache: path.join(repo, '..', 'tool-cache'), env: options.env })
}

/** A checkout with `main` and a `feature` branch one commit ahead. */
function makeRepository(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cli-e2e-')), 'project')
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args])
  execFileSync('mkdir', ['-p', path.join(dir, 'src')])
  writeFileSync(path.join(dir, 'src/math.ts'), 'export function add(a: number, b: number) {\n  return a + b\n}\n')
  writeFileSync(path.join(dir, 'src/AGENTS.md'), 'Arithmetic keeps its textbook meaning.\n')
  git('init', '-q', '-b', 'main')
  git('add', '.')
  git('commit', '-qm', 'base')
  git('checkout', '-qb', 'feature')
  writeFileSync(path.join(dir, 'src/math.ts'), 'export function add(a: number, b: number) {\n  return a - b\n}\n')
  git('commit', '-qam', 'Make add subtract')
  return dir
}

const config = () => JSON.stringify(fakeProviderConfig(model.baseURL))
const modelArgs = () => ['--model', `${FAKE_PROVIDER}/${FAKE_MODEL}`, '--config', config()]
const finding = {
  file: 'src/math.ts',
  start_line: 2,
  end_line: 2,
  severity: 'high',
  title: 'add subtracts',
  body: 'The sum is now a difference.',
  suggestion: '  return a + b'
}
const answer = {
  kind: 'toolCall' as const,
  tool: 'StructuredOutput',
  args: { summary: 'Changes add.', findings: [finding] }
}

beforeAll(async () => {
  model = await startFakeModel()
  repo = makeRepository()
  pulls.push(
    pull(7, {
      headSha: execFileSync('git', ['-C', repo, 'rev-parse', 'feature'], { encoding: 'utf8' }).trim(),
      diff: 'diff --git a/src/math.ts b/src/math.ts\n--- a/src/math.ts\n+++ b/src/math.ts\n@@ -1,3 +1,3 @@\n export function add(a: number, b: number) {\n-  return a + b\n+  return a - b\n }\n'
    })
  )
  github = await startFakeGitHub({ token: TOKEN, pulls })
})

afterAll(async () => {
  await model.close()
  await github.close()
  expect(processesIn(repo)).toEqual([])
  rmSync(path.dirname(repo), { recursive: true, force: true })
  expect(github.violations).toEqual([])
})

describe('opencode-pr-review on a local branch', () => {
  it('prints the review of the branch against its base as markdown, with progress on stderr', async () => {
    model.script([answer])
    const run = await cli(['--base', 'main', ...modelArgs()])

    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(promptText(model.requests.at(-1)!)).toContain('-  return a + b\n+  return a - b')
    expect(promptText(model.requests.at(-1)!)).toContain(
      '<convention path="src/AGENTS.md" applies="applies to the 1 changed file(s) under src/">\nArithmetic keeps its textbook meaning.\n</convention>'
    )
    expect(run.stderr).toContain(
      'Repository conventions used, from the base commit:\n  src/AGENTS.md (applies to the 1 changed file(s) under src/)'
    )
    expect(run.stdout).toMatch(
      /^Changes add\.\n\n### Findings\n\n- \*\*high\*\* · `src\/math.ts` line 2: add subtracts/
    )
    expect(run.stdout).toContain('Reviewed by OpenCode with `fake/review-model` · 1 file reviewed')
    // Nothing but the review on stdout: no workflow commands, no logs.
    expect(run.stdout).not.toMatch(/^::/m)
    expect(run.stderr).toContain('Reviewing feature against main')
    expect(run.stderr).toContain('[review] StructuredOutput')
    expect(run.stderr).toContain('[review] answered')
    expect(run.stderr).toContain('Reviewed 1 file with fake/review-model.')
    expect(run.stderr).not.toContain('::debug::')
  })

  it('--json prints the structured result', async () => {
    model.script([answer])
    const run = await cli(['--json', ...modelArgs()])

    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({ model: 'fake/review-model', summary: 'Changes add.', sessions: 1, unreviewed: [] })
    expect(result.findings).toEqual([
      {
        file: 'src/math.ts',
        startLine: 2,
        endLine: 2,
        severity: 'high',
        title: 'add subtracts',
        body: 'The sum is now a difference.',
        suggestion: '  return a + b'
      }
    ])
  })

  it("without --model uses OpenCode's own configured model and says which", async () => {
    const global = path.join(path.dirname(repo), 'opencode.json')
    writeFileSync(
      global,
      JSON.stringify({ ...fakeProviderConfig(model.baseURL), model: `${FAKE_PROVIDER}/${FAKE_MODEL}` })
    )
    model.script([answer])
    const run = await cli([], { env: { OPENCODE_CONFIG: global } })

    expect(run.code).toBe(0)
    expect(run.stderr).toContain('with fake/review-model (the model your OpenCode configuration names)')
    expect(run.stdout).toContain('Changes add.')
  })

  it(
    "without --model fails within a minute, as the action does, when the provider of OpenCode's configured model never answers",
    async () => {
      const global = path.join(path.dirname(repo), 'opencode.json')
      writeFileSync(
        global,
        JSON.stringify({ ...fakeProviderConfig(model.baseURL), model: `${FAKE_PROVIDER}/${FAKE_MODEL}` })
      )
      model.script([{ kind: 'hang' }])
      const run = await cli([], { env: { OPENCODE_CONFIG: global } })

      expect(run.code).toBe(1)
      expect(run.stderr).toContain(
        `error: The model provider '${FAKE_PROVIDER}' at ${model.baseURL} could not be reached (Provider response headers timed out after ${PROVIDER_HEADER_TIMEOUT_MS}ms`
      )
      expect(run.stderr).toContain(`raise provider.${FAKE_PROVIDER}.options.headerTimeout (ms) in the config`)
      expect(run.stdout).toBe('')
    },
    UNREACHABLE_WITHIN_MS
  )

  it.each([
    [['--nope'], "error: Unknown option '--nope'"],
    [['--post'], 'error: --post needs --pr'],
    [
      ['--base', 'no-such-branch', '--model', 'fake/m'],
      "error: --base 'no-such-branch' is not a commit of this repository"
    ],
    [['--model', 'nonsense'], "error: --model must look like 'provider/model'"]
  ])('fails clearly on %j', async (args, message) => {
    const run = await cli(args)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(message)
    expect(run.stdout).toBe('')
  })

  it('fails clearly outside a git checkout', async () => {
    const run = await cli(['--model', 'fake/m'], { cwd: tmpdir() })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('is not inside a git checkout')
  })
})

describe('opencode-pr-review --pr', () => {
  const env = () => ({ GITHUB_API_URL: github.url, GITHUB_TOKEN: TOKEN })

  it('reviews a GitHub pull request as a dry run by default', async () => {
    model.script([answer])
    const run = await cli(['--pr', 'octo-org/octo-repo#7', ...modelArgs()], { env: env() })

    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Changes add.')
    expect(run.stderr).toContain('Dry run: nothing was posted')
    expect(github.reviews).toEqual([])
  })

  it('--post posts it with the findings on their lines', async () => {
    model.script([answer])
    const run = await cli(['--pr', 'https://github.com/octo-org/octo-repo/pull/7', '--post', ...modelArgs()], {
      env: env()
    })

    expect(run.code).toBe(0)
    expect(run.stderr).toContain('Posted the review with 1 comment(s) on lines')
    expect(github.reviews).toHaveLength(1)
    expect(github.reviews[0].comments).toEqual([
      expect.objectContaining({
        path: 'src/math.ts',
        line: 2,
        body: expect.stringContaining('```suggestion\n  return a + b\n```')
      })
    ])
  })

  it('runs none of the pull request’s code, nor of the work tree around its temporary folder: its head, fetched from origin, is read out of git', async () => {
    // The clone the command runs in lacks the pull request's head; origin has it under refs/pull/8/head.
    const origin = path.join(path.dirname(repo), 'origin.git')
    execFileSync('git', ['clone', '--quiet', '--bare', repo, origin])
    const markers = mkdtempSync(path.join(path.dirname(repo), 'markers-'))
    const contributor = path.join(path.dirname(repo), 'contributor')
    execFileSync('git', ['clone', '--quiet', origin, contributor])
    const { markerFiles } = writeHostileProjectFiles(contributor, markers)
    // Its tree holds a .git/ of its own too, whose config runs a command as git's file-system monitor.
    const fsmonitor = path.join(markers, 'fsmonitor')
    const head = commitWithDotGit(contributor, commitWorkspace(contributor), fsmonitor)
    execFileSync('git', ['-C', contributor, 'push', '--quiet', 'origin', `${head}:refs/pull/8/head`])
    const clone = path.join(path.dirname(repo), 'clone')
    // --no-local: a local clone would take every object of origin's, the pull request's head included.
    execFileSync('git', ['clone', '--quiet', '--no-local', origin, clone])
    // The developer's temporary folder lies in a git work tree (a home kept in git) that holds a plugin.
    const home = path.join(path.dirname(repo), 'home-in-git')
    const homePlugin = path.join(markers, 'home-plugin')
    commitRepository(home, {
      '.opencode/plugin/plugin.js': `import { writeFileSync } from 'fs'\nwriteFileSync(${JSON.stringify(homePlugin)}, 'ran')\nexport const Plugin = async () => ({})\n`
    })
    const temp = path.join(home, 'tmp')
    mkdirSync(temp)
    pulls.push(pull(8, { headSha: head, diff: 'diff --git a/AGENTS.md b/AGENTS.md\n' }))
    model.script([
      { kind: 'toolCall', tool: 'workspace_read', args: { path: '.git/config' } },
      { kind: 'toolCall', tool: 'workspace_search', args: { pattern: 'fsmonito[r]' } },
      { kind: 'toolCall', tool: 'workspace_read', args: { path: 'AGENTS.md' } },
      // The server lives as long as a plugin would take to load, had one been there to run.
      { kind: 'slowReply', text: 'Reviewed.', contentAfterMs: PLUGIN_LOAD_WINDOW_MS }
    ])
    const asked = model.requests.length

    const run = await cli(['--pr', 'octo-org/octo-repo#8', ...modelArgs()], {
      cwd: clone,
      env: { ...env(), TMPDIR: temp }
    })

    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('Fetching refs/pull/8/head from origin')
    const results = model.requests.slice(asked + 1).map((request) => toolResults(request).at(-1))
    expect(results).toEqual([
      'You may not read .git/config: it is git’s own, not the repository’s.',
      'No matches.',
      expect.stringContaining('You may not read AGENTS.md: it configures or instructs an agent')
    ])
    expect([...markerFiles, fsmonitor, homePlugin].filter((marker) => existsSync(marker))).toEqual([])
  })

  it('asks for a token', async () => {
    const run = await cli(['--pr', 'octo-org/octo-repo#7'], { env: { GITHUB_API_URL: github.url } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('error: --pr needs a GitHub token: set GITHUB_TOKEN')
  })
})
