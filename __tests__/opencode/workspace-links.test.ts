import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fakeLogger } from '../../__fixtures__/logger.js'
import type { OpencodeServer } from '../../src/opencode/server.js'
import { bootDenyingLinks, escapingLinks } from '../../src/opencode/workspace-links.js'

const dir = mkdtempSync(path.join(tmpdir(), 'links-'))
const workspace = path.join(dir, 'workspace')
for (const sub of ['.git', 'src/deep', 'docs']) mkdirSync(path.join(workspace, sub), { recursive: true })
writeFileSync(path.join(workspace, '.git/config'), 'token')
writeFileSync(path.join(workspace, 'src/real.ts'), 'x')
writeFileSync(path.join(dir, 'secret.txt'), 'secret')
symlinkSync(path.join(workspace, 'src/real.ts'), path.join(workspace, 'src/alias.ts'))
symlinkSync('../real.ts', path.join(workspace, 'src/deep/relative.ts'))
symlinkSync('../../.git/config', path.join(workspace, 'src/deep/git.txt'))
symlinkSync(path.join(dir, 'secret.txt'), path.join(workspace, 'docs/secret.md'))
symlinkSync('/etc', path.join(workspace, 'etc'))
symlinkSync(path.join(workspace, 'missing'), path.join(workspace, 'dangling'))
symlinkSync(path.join(workspace, '.git'), path.join(workspace, 'gitdir'))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('escapingLinks', () => {
  it('names the links that lead out of the workspace or into .git/, and only those', async () => {
    expect(await escapingLinks(workspace, 'tracked')).toEqual(['docs/secret.md', 'etc', 'gitdir', 'src/deep/git.txt'])
  })

  it('finds nothing where there is no workspace', async () => {
    expect(await escapingLinks(path.join(dir, 'nowhere'), 'tracked')).toEqual([])
  })
})

const gitEnvironment = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com'
}

function git(repository: string, ...args: string[]): void {
  execFileSync('git', ['-C', repository, ...args], { env: gitEnvironment, stdio: 'ignore' })
}

/** Makes `linkPath` (relative to `base`) a link to `target`, creating its directory. */
function link(base: string, linkPath: string, target: string): void {
  mkdirSync(path.dirname(path.join(base, linkPath)), { recursive: true })
  symlinkSync(target, path.join(base, linkPath))
}

/**
 * A committed checkout holding `links` (path to target), plus a link out that git does not track,
 * as a workflow's step would leave: finding that one would mean the tree was walked, not the index read.
 */
function checkout(name: string, links: Record<string, string>, initOptions: string[] = []): string {
  const repository = path.join(dir, name)
  mkdirSync(path.join(repository, 'src'), { recursive: true })
  git(repository, 'init', '-q', ...initOptions)
  writeFileSync(path.join(repository, 'src/real.ts'), 'x')
  for (const [linkPath, target] of Object.entries(links)) link(repository, linkPath, target)
  git(repository, 'add', '-A')
  git(repository, 'commit', '-q', '-m', 'pull request')
  link(repository, 'build/untracked', '/etc')
  return repository
}

describe('escapingLinks in a git checkout', () => {
  it('names a tracked link that leads out of the checkout, not one that stays inside', async () => {
    const repository = checkout('file-out', {
      'docs/secret.md': path.join(dir, 'secret.txt'),
      'src/alias.ts': 'real.ts'
    })
    expect(await escapingLinks(repository, 'tracked')).toEqual(['docs/secret.md'])
  })

  it('names a tracked link into .git/', async () => {
    const repository = checkout('into-git', { 'src/deep/git.txt': '../../.git/config' })
    expect(await escapingLinks(repository, 'tracked')).toEqual(['src/deep/git.txt'])
  })

  it('names a tracked link to a directory outside', async () => {
    const repository = checkout('directory-out', { vendor: dir })
    expect(await escapingLinks(repository, 'tracked')).toEqual(['vendor'])
  })

  it('names the links to directories inside through which an escaping link is reached under another name', async () => {
    const repository = checkout('aliases', {
      'src/leak': '/etc/hostname',
      alias: 'src',
      'nested/inner': '../src',
      // Read before `nested/inner` is known to lead to `src/leak`.
      chain: 'nested',
      'docs/fine': '../src/real.ts'
    })
    expect(await escapingLinks(repository, 'tracked')).toEqual(['alias', 'chain', 'nested/inner', 'src/leak'])
  })

  it('does not look at files git does not track: the pull request brings none, the workflow made them', async () => {
    const repository = checkout('untracked-only', {})
    expect(await escapingLinks(repository, 'tracked')).toEqual([])
    // The walk that runs while the server boots does.
    expect(await escapingLinks(repository, 'all')).toEqual(['build/untracked'])
  })

  it('reads index versions 2, 3 and 4', async () => {
    const repository = checkout('versions', { 'a/deep/path/out': '/etc', 'a/deep/path/in': '../../../src/real.ts' })
    const version = () => readFileSync(path.join(repository, '.git/index')).readUInt32BE(4)
    expect(version()).toBe(2)
    expect(await escapingLinks(repository, 'tracked')).toEqual(['a/deep/path/out'])
    // An intent-to-add entry needs version 3's extended flags.
    writeFileSync(path.join(repository, 'src/new.ts'), 'y')
    git(repository, 'add', '-N', 'src/new.ts')
    expect(version()).toBe(3)
    expect(await escapingLinks(repository, 'tracked')).toEqual(['a/deep/path/out'])
    git(repository, 'update-index', '--index-version', '4')
    expect(version()).toBe(4)
    expect(await escapingLinks(repository, 'tracked')).toEqual(['a/deep/path/out'])
  })

  it('reads the index of a SHA-256 repository', async () => {
    const repository = checkout('sha256', { out: '/etc' }, ['--object-format=sha256'])
    expect(await escapingLinks(repository, 'tracked')).toEqual(['out'])
  })

  it('reads the index of a checked-out submodule', async () => {
    const library = checkout('library', { shadow: '/etc/shadow', inside: 'src/real.ts' })
    const repository = checkout('with-submodule', {})
    git(repository, '-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', library, 'vendor/library')
    expect(await escapingLinks(repository, 'tracked')).toEqual(['vendor/library/shadow'])
  })

  it('walks a checkout whose index it does not read (a split index), but not into .git/', async () => {
    const repository = checkout('split', { out: '/etc' })
    git(repository, 'update-index', '--split-index')
    link(repository, '.git/hooks/ignored', '/etc')
    expect(await escapingLinks(repository, 'tracked')).toEqual(['build/untracked', 'out'])
  })

  it('walks a workspace that is not a git checkout, but not into .git/ directories', async () => {
    const plain = path.join(dir, 'plain')
    link(plain, 'docs/secret.md', path.join(dir, 'secret.txt'))
    link(plain, 'deep/er/etc', '/etc')
    link(plain, 'deep/er/fine', '../../nested')
    link(plain, 'nested/.git/ignored', '/etc')
    expect(await escapingLinks(plain, 'tracked')).toEqual(['deep/er/etc', 'docs/secret.md'])
  })
})

describe('bootDenyingLinks', () => {
  /** A boot that records the links each server was told to deny, and which servers were stopped. */
  function recordingBoot(): {
    boot: (links: string[]) => Promise<OpencodeServer>
    booted: string[][]
    stopped: number[]
  } {
    const booted: string[][] = []
    const stopped: number[] = []
    const boot = async (links: string[]) => {
      const pid = booted.push(links)
      return { pid, stop: async () => void stopped.push(pid) } as unknown as OpencodeServer
    }
    return { boot, booted, stopped }
  }

  it('boots once when the walk finds no link beyond those git tracks', async () => {
    const repository = checkout('walk-agrees', { out: '/etc' })
    rmSync(path.join(repository, 'build'), { recursive: true })
    const { boot, booted, stopped } = recordingBoot()
    const server = await bootDenyingLinks(repository, boot, fakeLogger())
    expect(booted).toEqual([['out']])
    expect(stopped).toEqual([])
    expect(server.pid).toBe(1)
  })

  it('boots again, denying them too, when the walk finds links a workflow step made', async () => {
    const repository = checkout('walk-finds-more', { out: '/etc' })
    const log = fakeLogger()
    const { boot, booted, stopped } = recordingBoot()
    const server = await bootDenyingLinks(repository, boot, log)
    expect(booted).toEqual([['out'], ['build/untracked', 'out']])
    expect(stopped).toEqual([1])
    expect(server.pid).toBe(2)
    expect(log.warning).toHaveBeenCalledWith(expect.stringContaining('build/untracked, out'))
  })
})
