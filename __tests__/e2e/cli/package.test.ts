import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { validateWorkflow } from '@action-validator/core'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  FAKE_MODEL,
  FAKE_PROVIDER,
  type FakeModel,
  fakeProviderConfig,
  startFakeModel,
  toolResults,
  towardsStandIn
} from '../../../__fixtures__/fake-model.js'
import { yamlErrors } from '../../../__fixtures__/action-metadata.js'
import { OPENCODE_BIN_DIR, processesIn, ROOT } from '../../../__fixtures__/runner.js'

const readPackageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

// The package as npm publishes it: packed, installed into an empty folder, and run from there.
jest.setTimeout(180_000)

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Asynchronous on purpose: the stand-in model answers from this process, which a synchronous child would block. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A checkout with `main` and a `feature` branch one commit ahead. */
function makeRepository(parent: string, name = 'project'): string {
  const dir = path.join(parent, name)
  mkdirSync(path.join(dir, 'src'), { recursive: true })
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args])
  writeFileSync(path.join(dir, 'src/greet.ts'), 'export const greet = (name: string) => `Hello, ${name}`\n')
  git('init', '-q', '-b', 'main')
  git('add', '.')
  git('commit', '-qm', 'base')
  git('checkout', '-qb', 'feature')
  writeFileSync(
    path.join(dir, 'src/greet.ts'),
    'export const greet = (name: string) => `Hello, ${name.toUpperCase()}`\n'
  )
  git('commit', '-qam', 'Shout the name')
  return dir
}

let work: string
let tarballPath: string
let npmEnv: NodeJS.ProcessEnv
let packedFiles: string[]
/** node_modules of the folder the tarball was installed into. */
let installed: string
let model: FakeModel

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'package-e2e-'))
  for (const dir of ['pack', 'install', 'home']) mkdirSync(path.join(work, dir))
  // npm as a stranger's machine runs it: no npm_* settings of the `npm test` around us, an empty cache.
  npmEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))
  npmEnv.HOME = path.join(work, 'home')

  const pack = await run('npm', ['pack', '--json', '--pack-destination', path.join(work, 'pack')], {
    cwd: ROOT,
    env: npmEnv
  })
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`)
  const [tarball] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
  packedFiles = tarball.files.map((file) => file.path).sort()
  tarballPath = path.join(work, 'pack', tarball.filename)

  // --offline: the tarball has to be enough, with nothing fetched.
  const installDir = path.join(work, 'install')
  const install = await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--prefix', installDir, tarballPath],
    { cwd: installDir, env: npmEnv }
  )
  if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`)
  installed = path.join(installDir, 'node_modules')

  model = await startFakeModel()
})

afterAll(async () => {
  await model?.close()
  rmSync(work, { recursive: true, force: true })
})

describe('the published package', () => {
  it("holds the command's bundle and its notices, and none of the sources, tests or fixtures", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/cli/index.js', 'dist/cli/licenses.txt'])
    )
    expect(packedFiles.filter((file) => !/^(package\.json|README\.md|LICENSE|dist\/cli\/.+)$/.test(file))).toEqual([])
  })

  it('installs from the tarball alone: no other package comes with it', () => {
    expect(readdirSync(installed).filter((entry) => !entry.startsWith('.'))).toEqual(['opencode-pr-review'])
    expect(readdirSync(path.join(installed, '.bin'))).toEqual(['opencode-pr-review'])
  })

  it('opencode-pr-review --help prints the usage', async () => {
    const help = await run(path.join(installed, '.bin/opencode-pr-review'), ['--help'], {
      cwd: work,
      env: { PATH: process.env.PATH, HOME: path.join(work, 'home') }
    })

    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: opencode-pr-review \[options\]/)
  })

  it('ANTHROPIC_API_KEY=... npx opencode-pr-review --model anthropic/... reviews a branch with the opencode on PATH', async () => {
    const repo = makeRepository(work)
    const key = `sk-ant-packed-${'p'.repeat(24)}`
    model.script([
      // The workspace's server is bundled in the package too.
      { kind: 'toolCall', tool: 'workspace_search', args: { pattern: 'greet =', literal: true } },
      {
        kind: 'toolCall',
        tool: 'StructuredOutput',
        args: {
          summary: 'The installed command reviewed this branch.',
          findings: [
            {
              file: 'src/greet.ts',
              start_line: 1,
              end_line: 1,
              severity: 'low',
              title: 'Shouting greeting',
              body: `The name is upper-cased. The key is ${key}.`
            }
          ]
        }
      }
    ])
    const review = await runInstalled(['--base', 'main', '--model', 'anthropic/claude-sonnet-4-5'], repo, {
      env: { ANTHROPIC_API_KEY: key, ...towardsStandIn('anthropic', model.baseURL).env }
    })

    expect(review.stderr).not.toContain('error:')
    expect(review.code).toBe(0)
    expect(review.stdout).toMatch(/^The installed command reviewed this branch\./)
    expect(review.stdout).toContain('Shouting greeting')
    expect(model.requests).toHaveLength(2)
    expect(model.requests.map((request) => request.protocol)).toEqual(['messages', 'messages'])
    expect(new Set(model.keys)).toEqual(new Set([key]))
    expect(toolResults(model.requests[1]).at(-1)).toBe(
      'src/greet.ts:1: export const greet = (name: string) => `Hello, ${name.toUpperCase()}`'
    )
    // The key reached the model, and nothing the command printed.
    expect(review.stdout + review.stderr).not.toContain(key)
    // The server it started is gone.
    expect(processesIn(repo)).toEqual([])
  })

  it('without the key, says how to set it, at once and with nothing started', async () => {
    const asked = model.keys.length
    const review = await runInstalled(
      ['--base', 'main', '--model', 'anthropic/claude-sonnet-4-5'],
      path.join(work, 'project')
    )

    expect(review.code).toBe(1)
    expect(review.stderr).toContain(
      "error: No key for anthropic/claude-sonnet-4-5: provider 'anthropic' reads it from ANTHROPIC_API_KEY, which is not set"
    )
    expect(review.stderr).toContain('`export ANTHROPIC_API_KEY=...`')
    expect(review.stderr).not.toContain('OpenCode 1.')
    expect(model.keys).toHaveLength(asked)
  })
})

/** The installed command run in `cwd` as a stranger runs it: an empty HOME of its own (`own` its OpenCode config), OpenCode on PATH. */
function runInstalled(args: string[], cwd: string, options: { env?: Record<string, string>; own?: object } = {}) {
  const home = mkdtempSync(path.join(work, 'home-'))
  if (options.own) {
    mkdirSync(path.join(home, '.config/opencode'), { recursive: true })
    writeFileSync(path.join(home, '.config/opencode/opencode.json'), JSON.stringify(options.own))
  }
  return run(path.join(installed, '.bin/opencode-pr-review'), args, {
    cwd,
    env: { PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`, HOME: home, ...options.env }
  })
}

/** Every request the stand-in model got so far, review or side request. */
const modelCalls = (): number => model.requests.length + model.sideRequests.length

/** The stand-in as the developer's only provider: OpenCode would pick its model by itself, were it asked to. */
function standInProvider(): Record<string, unknown> {
  const provider = fakeProviderConfig(model.baseURL)
  delete provider.small_model
  return { ...provider, enabled_providers: [FAKE_PROVIDER] }
}

describe('the installed command says what it does', () => {
  it('--version prints the version of the package', async () => {
    const version = await runInstalled(['--version'], work)

    expect(version).toEqual({ code: 0, stdout: `${readPackageVersion()}\n`, stderr: '' })
  })

  it('calls no model nobody named, and reviews with the one OPENCODE_CONFIG_CONTENT names', async () => {
    const repo = makeRepository(work, 'unnamed-model')
    model.script([{ kind: 'reply', text: 'Reviewed with the model you named.' }])
    const before = modelCalls()

    // The developer's config sets up a provider and names no model: without the check OpenCode reviews with one of its models.
    const refused = await runInstalled(['--base', 'main'], repo, { own: standInProvider() })

    expect(refused.code).toBe(1)
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: No model to review with: pass --model provider\/model /)
    ])
    expect(modelCalls()).toBe(before)
    expect(readFileSync(path.join(ROOT, 'docs/troubleshooting.md'), 'utf8')).toContain(
      '`No model to review with: pass --model provider/model ...`'
    )

    // The developer's OPENCODE_CONFIG_CONTENT, the reviewer's own laid over it.
    const reviewed = await runInstalled(['--base', 'main'], repo, {
      env: {
        OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...standInProvider(), model: `${FAKE_PROVIDER}/${FAKE_MODEL}` })
      }
    })

    expect(reviewed.stderr).not.toContain('error:')
    expect(reviewed.code).toBe(0)
    expect(reviewed.stdout).toMatch(/^Reviewed with the model you named\./)
    expect(model.requests.slice(before).map((request) => request.model)).toEqual([FAKE_MODEL])
    // A text answer is an answer: no failure is reported for it.
    expect(reviewed.stderr).toContain('[review] answered in text, without structured findings\n')
    expect(reviewed.stderr).toContain(
      'warning: The model answered in text, without structured findings (Model did not produce structured output): its text is the review, with no finding on a line.\n'
    )
    expect(reviewed.stderr).not.toContain('failed')
    expect(reviewed.stderr).toMatch(/^Diff: 1 of 1 file, [\d,]+ characters$/m)
    expect(reviewed.stderr).toContain(
      `Reviewed 1 file with ${FAKE_PROVIDER}/${FAKE_MODEL} (the model your OpenCode configuration names).\n`
    )
    expect(processesIn(repo)).toEqual([])
  })

  it('says on the base branch that there is nothing to review, before starting anything', async () => {
    const repo = makeRepository(work, 'on-main')
    execFileSync('git', ['-C', repo, 'checkout', '-q', 'main'])
    model.script([{ kind: 'reply', text: 'Nothing should have asked.' }])
    const before = modelCalls()

    const onMain = await runInstalled(['--model', `${FAKE_PROVIDER}/${FAKE_MODEL}`], repo, {
      env: { OPENCODE_CONFIG_CONTENT: JSON.stringify(standInProvider()) }
    })

    expect(onMain).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: You are on the base branch: main has no uncommitted change to tracked files, so there is nothing to review. Switch to your branch, or pass --base <ref> to compare with another base.\n'
    })
    expect(modelCalls()).toBe(before)
  })

  it("words a bad option, a missing file and an unreachable GitHub as the command's own errors", async () => {
    const repo = makeRepository(work, 'errors')
    const named = ['--model', `${FAKE_PROVIDER}/${FAKE_MODEL}`]

    const [noFile, bareModel, offline] = await Promise.all([
      runInstalled([...named, '--config', '@nofile.json'], repo),
      runInstalled(['--model', 'claude-sonnet-4-5'], repo),
      runInstalled([...named, '--pr', 'octo-org/app#7'], repo, {
        env: { GITHUB_TOKEN: 'ghp_offline', GITHUB_API_URL: 'https://api.github.invalid' }
      })
    ])

    expect(noFile).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: --config @nofile.json: cannot read ${path.join(repo, 'nofile.json')}: there is no such file.\n`
    })
    expect(bareModel).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "error: --model must look like 'provider/model' (for example 'anthropic/claude-sonnet-4-5'), got 'claude-sonnet-4-5'.\n"
    })
    expect(offline.code).toBe(1)
    expect(offline.stderr).toMatch(
      /^error: Could not read pull request #7: GitHub could not be reached \(getaddrinfo \w+ api\.github\.invalid\)\. /m
    )
    expect(offline.stderr).not.toContain('GitHub answered')
  })
})

describe('npx opencode-pr-review init', () => {
  it('writes a workflow the strict validator accepts in an empty repository, prints the secret, and refuses a second run', async () => {
    const repo = path.join(work, 'empty')
    mkdirSync(repo)
    execFileSync('git', ['init', '-q', repo])
    // The packed command alone, as `npx` finds it in a project that installed it.
    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarballPath], {
      cwd: repo,
      env: npmEnv
    })
    expect(install.stderr).not.toContain('ERR')
    const npx = (...args: string[]) =>
      run('npx', ['--offline', 'opencode-pr-review', 'init', ...args], { cwd: repo, env: npmEnv })

    const first = await npx('--model', 'anthropic/claude-sonnet-4-5', '--yes')

    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^ {2}gh secret set ANTHROPIC_API_KEY$/m)
    const workflow = readFileSync(path.join(repo, '.github/workflows/opencode-review.yml'), 'utf8')
    expect(yamlErrors(workflow)).toEqual([])
    expect(validateWorkflow(workflow).errors).toEqual([])
    expect(workflow).toContain('ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}')

    const second = await npx('--model', 'anthropic/claude-sonnet-4-5', '--yes')

    expect(second.code).toBe(1)
    expect(second.stderr).toContain(
      'error: .github/workflows/opencode-review.yml already exists: --force overwrites it'
    )
    expect(readFileSync(path.join(repo, '.github/workflows/opencode-review.yml'), 'utf8')).toBe(workflow)

    // The label trigger and workflow_dispatch, as docs/on-demand.md says init writes them, for a provider whose key is a file.
    const picked = await npx(
      '--model',
      'google-vertex/gemini-2.5-pro',
      '--features',
      'review,label,dispatch',
      '--force'
    )

    expect(picked.stderr).toBe('')
    expect(picked.stdout).toMatch(/^ {2}gh secret set GOOGLE_APPLICATION_CREDENTIALS_JSON < key\.json/m)
    expect(picked.stdout).toMatch(/^ {2}gh variable set GOOGLE_VERTEX_PROJECT --body <value>$/m)
    const rewritten = readFileSync(path.join(repo, '.github/workflows/opencode-review.yml'), 'utf8')
    expect(validateWorkflow(rewritten).errors).toEqual([])
    expect(yamlErrors(rewritten)).toEqual([])
    expect(rewritten).toContain('types: [opened, synchronize, reopened, ready_for_review, labeled]')
    expect(rewritten).toContain('  workflow_dispatch:\n')
    expect(rewritten).toContain('trigger-label: ai-review')
    expect(rewritten).toContain('pr-number: ${{ inputs.pr-number }}')
    expect(rewritten).toContain(
      'GOOGLE_APPLICATION_CREDENTIALS: ${{ runner.temp }}/google-application-credentials.json'
    )
  })
})
