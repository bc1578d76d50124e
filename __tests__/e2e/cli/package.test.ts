import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { validateWorkflow } from '@action-validator/core'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type FakeModel, startFakeModel, toolResults, towardsStandIn } from '../../../__fixtures__/fake-model.js'
import { yamlErrors } from '../../../__fixtures__/action-metadata.js'
import { OPENCODE_BIN_DIR, processesIn, ROOT } from '../../../__fixtures__/runner.js'

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
function makeRepository(parent: string): string {
  const dir = path.join(parent, 'project')
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

  /** The installed package's command (what `npx opencode-pr-review` runs) in `cwd`, with `env` as the shell's. */
  const command = (cwd: string, args: string[], env: NodeJS.ProcessEnv) =>
    run(path.join(installed, '.bin/opencode-pr-review'), args, {
      cwd,
      env: { PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`, HOME: path.join(work, 'home'), ...env }
    })

  it('ANTHROPIC_API_KEY=... npx opencode-pr-review --model anthropic/... reviews a branch with the opencode on PATH', async () => {
    const repo = makeRepository(work)
    const key = `sk-ant-packed-${'p'.repeat(24)}`
    model.script([
      // The search's server is bundled in the package too.
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
    const review = await command(repo, ['--base', 'main', '--model', 'anthropic/claude-sonnet-4-5'], {
      ANTHROPIC_API_KEY: key,
      ...towardsStandIn('anthropic', model.baseURL).env
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
    const review = await command(
      path.join(work, 'project'),
      ['--base', 'main', '--model', 'anthropic/claude-sonnet-4-5'],
      {}
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
  })
})
