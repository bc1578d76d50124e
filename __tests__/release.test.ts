import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseStrictYaml, readRepositoryFile } from '../__fixtures__/action-metadata.js'

// scripts/release, run in throwaway repositories whose `npm run bundle` copies src.txt to dist/.
jest.setTimeout(60_000)

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts/release')
// No npm_* settings of an `npm test` around us.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env }).trim()
}

function makeRepository(version = '1.0.0', readme?: string): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'release-'))
  made.push(repo)
  mkdirSync(path.join(repo, 'scripts'))
  copyFileSync(SCRIPT, path.join(repo, 'scripts/release'))
  const manifest = {
    name: 'demo',
    version,
    scripts: { bundle: "node -e \"require('fs').cpSync('src.txt', 'dist/index.js')\"" }
  }
  writeFileSync(path.join(repo, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  writeFileSync(
    path.join(repo, 'package-lock.json'),
    JSON.stringify(
      { name: 'demo', version, lockfileVersion: 3, requires: true, packages: { '': { name: 'demo', version } } },
      null,
      2
    ) + '\n'
  )
  if (readme !== undefined) writeFileSync(path.join(repo, 'README.md'), readme)
  writeFileSync(path.join(repo, 'src.txt'), 'one\n')
  mkdirSync(path.join(repo, 'dist'))
  writeFileSync(path.join(repo, 'dist/index.js'), 'one\n')
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'config', 'user.name', 'Releaser')
  git(repo, 'config', 'user.email', 'releaser@example.com')
  git(repo, 'add', '.')
  git(repo, 'commit', '-qm', 'initial')
  return repo
}

function commitChange(repo: string, text: string): void {
  writeFileSync(path.join(repo, 'src.txt'), text)
  writeFileSync(path.join(repo, 'dist/index.js'), text)
  git(repo, 'commit', '-qam', `change to ${text.trim()}`)
}

function release(repo: string, ...args: string[]) {
  const run = spawnSync('scripts/release', args, { cwd: repo, env, encoding: 'utf8' })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

/** The commit a tag (annotated or not) points at. */
const commitOf = (repo: string, ref: string) => git(repo, 'rev-parse', `${ref}^{commit}`)

describe('scripts/release', () => {
  it("tags package.json's version, moves the major tag to it and prints the push without pushing", () => {
    const repo = makeRepository('1.0.0')
    const run = release(repo)

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(git(repo, 'tag', '--list')).toBe('v1\nv1.0.0')
    expect(commitOf(repo, 'v1.0.0')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(commitOf(repo, 'v1')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(run.stdout).toContain('git push origin main refs/tags/v1.0.0 && git push --force origin refs/tags/v1')
  })

  it('with a version, commits it to package.json and the lockfile, then moves the major tag from the last release', () => {
    const repo = makeRepository('1.0.0')
    release(repo)
    const first = git(repo, 'rev-parse', 'HEAD')
    commitChange(repo, 'two\n')
    const run = release(repo, '1.1.0')

    expect(run.code).toBe(0)
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Release v1.1.0')
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version).toBe('1.1.0')
    expect(JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8')).version).toBe('1.1.0')
    expect(commitOf(repo, 'v1.1.0')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(commitOf(repo, 'v1')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(commitOf(repo, 'v1.0.0')).toBe(first)
  })

  it.each([
    [
      'a dirty tree',
      (repo: string) => writeFileSync(path.join(repo, 'notes.txt'), 'draft\n'),
      [],
      'the working tree has changes'
    ],
    [
      'a stale dist/',
      (repo: string) => {
        writeFileSync(path.join(repo, 'src.txt'), 'changed\n')
        git(repo, 'commit', '-qam', 'source without bundle')
      },
      [],
      "dist/ differs from a fresh 'npm run bundle'"
    ],
    ['a version that is not X.Y.Z', () => {}, ['1.2'], "'1.2' is not a version X.Y.Z"],
    [
      'a version older than the latest release',
      (repo: string) => git(repo, 'tag', 'v1.3.0'),
      ['1.2.9'],
      'v1.2.9 is not newer than the latest release, v1.3.0'
    ],
    ['a version already released', (repo: string) => git(repo, 'tag', 'v1.0.0'), [], 'v1.0.0 already exists']
  ])('refuses %s', (_case, prepare, args, message) => {
    const repo = makeRepository('1.0.0')
    prepare(repo)
    const tags = git(repo, 'tag', '--list')
    const run = release(repo, ...args)

    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`release: ${message}`)
    expect(git(repo, 'tag', '--list')).toBe(tags)
  })

  describe("keeps the README's promises", () => {
    const usesV1 = '      - uses: opencode-pr-review/opencode-pr-review@v1\n'

    it('refuses a first release whose major tag is not the one the README uses, and makes that one', () => {
      const repo = makeRepository('0.1.0', usesV1)

      const first = release(repo)
      expect(first.code).toBe(1)
      expect(first.stderr).toContain("release: v0.1.0 would move v0, but the README's workflows use @v1")
      expect(git(repo, 'tag', '--list')).toBe('')

      expect(release(repo, '1.0.0').code).toBe(0)
      expect(git(repo, 'tag', '--list')).toBe('v1\nv1.0.0')
    })

    it('refuses while the README says it is not released', () => {
      const repo = makeRepository('1.0.0', `> **Not released yet**: ...\n${usesV1}`)

      const run = release(repo)
      expect(run.code).toBe(1)
      expect(run.stderr).toContain("release: the README still says 'Not released yet'")
      expect(git(repo, 'tag', '--list')).toBe('')
    })
  })

  it('--push pushes the branch and the release tag, and force-moves the major tag on the remote', () => {
    const repo = makeRepository('2.0.0')
    const remote = mkdtempSync(path.join(tmpdir(), 'release-remote-'))
    made.push(remote)
    execFileSync('git', ['init', '-q', '--bare', remote], { env })
    git(repo, 'remote', 'add', 'origin', remote)

    expect(release(repo, '--push').code).toBe(0)
    commitChange(repo, 'three\n')
    expect(release(repo, '2.0.1', '--push').code).toBe(0)

    expect(git(remote, 'tag', '--list')).toBe('v2\nv2.0.0\nv2.0.1')
    expect(commitOf(remote, 'v2')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(git(remote, 'rev-parse', 'main')).toBe(git(repo, 'rev-parse', 'HEAD'))
  })
})

describe('.github/workflows/release.yml', () => {
  const { jobs } = parseStrictYaml(readRepositoryFile('.github/workflows/release.yml')) as {
    jobs: { release: { steps: Array<{ name?: string; run?: string }> } }
  }
  const steps = jobs.release.steps
  const named = (name: string) => steps.findIndex((step) => step.name === name)
  const root = path.resolve(path.dirname(SCRIPT), '..')
  const { version } = JSON.parse(readRepositoryFile('package.json')) as { version: string }

  it('publishes to npm before it moves the major tag: `uses: ...@vX` and `npx opencode-pr-review` come true together', () => {
    expect(named('Publish to npm')).toBeGreaterThan(-1)
    expect(named('Publish to npm')).toBeLessThan(named('Move the major tag'))
  })

  it('stops before anything without an NPM_TOKEN, as its first check', () => {
    const check = steps.find((step) => step.run !== undefined)!
    // The step's script as the runner runs it, in the checkout, for a tag of package.json's version.
    const runCheck = (token: string) =>
      spawnSync('bash', ['-e', '-c', check.run!], {
        cwd: root,
        env: { PATH: process.env.PATH, GITHUB_REF_NAME: `v${version}`, NODE_AUTH_TOKEN: token },
        encoding: 'utf8'
      })

    const without = runCheck('')
    expect(without.status).toBe(1)
    expect(without.stdout).toContain(
      "::error::No NPM_TOKEN secret: the release would leave 'npx opencode-pr-review' without a package."
    )
    expect(runCheck('npm_token').status).toBe(0)
  })
})
