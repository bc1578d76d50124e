import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fakeLogger } from '../../__fixtures__/logger.js'
import {
  leftOutOfSnapshot,
  SNAPSHOT_MAX_FILE_BYTES,
  snapshotReviewedFiles,
  writeSnapshot
} from '../../src/git/snapshot.js'

const dir = mkdtempSync(path.join(tmpdir(), 'snapshot-'))
const repo = path.join(dir, 'repo')

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-C', cwd, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    encoding: 'utf8'
  }).trim()
}

function write(file: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true })
  writeFileSync(path.join(repo, file), content)
}

/** Every path in `root`, links marked with their target. */
function listing(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter(
      (entry) => lstatSync(path.join(root, entry)).isSymbolicLink() || !statSync(path.join(root, entry)).isDirectory()
    )
    .map((entry) => {
      const full = path.join(root, entry)
      return lstatSync(full).isSymbolicLink() ? `${entry} -> ${readlinkSync(full)}` : entry
    })
    .sort()
}

let commit: string

beforeAll(() => {
  git(dir, 'init', '--quiet', repo)
  write('src/app.ts', 'export const answer = 42\n')
  write('bin/run.sh', '#!/bin/sh\necho hi\n')
  execFileSync('chmod', ['+x', path.join(repo, 'bin/run.sh')])
  write('.opencode/plugin/x.js', 'plugin')
  write('.claude/settings.json', '{}')
  write('opencode.json', '{}')
  write('pkg/opencode.jsonc', '{}')
  write('AGENTS.md', 'rules')
  write('pkg/CLAUDE.md', 'rules')
  write('.env', 'SECRET=1')
  write('config/.env.production', 'SECRET=2')
  write('.env.example', 'SECRET=')
  write('.gitattributes', 'src/app.ts export-ignore filter=nope\n')
  write('big.bin', Buffer.alloc(SNAPSHOT_MAX_FILE_BYTES + 1))
  symlinkSync('app.ts', path.join(repo, 'src/alias.ts'))
  symlinkSync('../../.git/config', path.join(repo, 'src/git-config'))
  symlinkSync('/etc/passwd', path.join(repo, 'passwd'))
  symlinkSync('missing.ts', path.join(repo, 'src/dangling.ts'))
  git(repo, 'add', '--all')
  git(repo, 'commit', '--quiet', '-m', 'pull request')
  commit = git(repo, 'rev-parse', 'HEAD')
  // After the commit: neither an untracked file nor an edit of a tracked one is reviewed.
  write('untracked.ts', 'untracked')
  write('src/app.ts', 'edited in the checkout\n')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('leftOutOfSnapshot', () => {
  it.each([
    ['.opencode/plugin/x.js', 'agent'],
    ['pkg/.claude/agents/a.md', 'agent'],
    ['opencode.json', 'agent'],
    ['deep/opencode.jsonc', 'agent'],
    ['AGENTS.md', 'agent'],
    ['src/CLAUDE.md', 'agent'],
    ['CONTEXT.md', 'agent'],
    ['.env', 'secret'],
    ['api/.env.local', 'secret'],
    ['.env.example', undefined],
    ['src/environment.ts', undefined],
    ['docs/AGENTS.md.txt', undefined]
  ])('%s: %s', (file, reason) => {
    expect(leftOutOfSnapshot(file)).toBe(reason)
  })
})

describe('writeSnapshot', () => {
  const into = path.join(dir, 'snapshot')
  const log = fakeLogger()
  let snapshot: Awaited<ReturnType<typeof writeSnapshot>>

  beforeAll(async () => {
    snapshot = await writeSnapshot(repo, commit, into, log)
  })

  it('holds the tracked files of the commit as git stores them, and nothing else', () => {
    expect(listing(into)).toEqual([
      '.env.example',
      '.gitattributes',
      'bin/run.sh',
      'src/alias.ts -> app.ts',
      'src/app.ts'
    ])
    // No smudge filter, no export-ignore: the pull request's .gitattributes has no say.
    expect(readFileSync(path.join(into, 'src/app.ts'), 'utf8')).toBe('export const answer = 42\n')
    expect(readFileSync(path.join(into, 'src/alias.ts'), 'utf8')).toBe('export const answer = 42\n')
    expect(statSync(path.join(into, 'bin/run.sh')).mode & 0o111).not.toBe(0)
    expect(existsSync(path.join(into, '.git'))).toBe(false)
  })

  it('says what it left out, and why', () => {
    expect(snapshot.files).toBe(5)
    expect(snapshot.leftOut).toEqual({
      agent: [
        '.claude/settings.json',
        '.opencode/plugin/x.js',
        'AGENTS.md',
        'opencode.json',
        'pkg/CLAUDE.md',
        'pkg/opencode.jsonc'
      ],
      secret: ['.env', 'config/.env.production'],
      links: ['passwd', 'src/dangling.ts', 'src/git-config'],
      large: ['big.bin']
    })
    expect(log.warning).toHaveBeenCalledWith(
      "Left out of the reviewer's files: links that lead out of the repository or nowhere: passwd, src/dangling.ts, src/git-config"
    )
  })
})

describe('snapshotReviewedFiles', () => {
  it('writes the checked-out commit', async () => {
    const into = path.join(dir, 'head')
    expect(await snapshotReviewedFiles({ checkout: repo, revision: 'HEAD' }, into, fakeLogger())).toBe(into)
    expect(existsSync(path.join(into, 'src/app.ts'))).toBe(true)
  })

  it('gives an empty folder, and says so, for a workspace that is no git checkout', async () => {
    const log = fakeLogger()
    const plain = mkdtempSync(path.join(dir, 'plain-'))
    writeFileSync(path.join(plain, 'file.ts'), 'x')
    const into = path.join(dir, 'plain-snapshot')
    await snapshotReviewedFiles({ checkout: plain, revision: 'HEAD' }, into, log)
    expect(readdirSync(into)).toEqual([])
    expect(log.warning).toHaveBeenCalledWith(expect.stringContaining('is not a git checkout of the reviewed commit'))
  })

  it('fetches a pull request’s head the clone lacks from origin', async () => {
    const clone = path.join(dir, 'clone')
    git(dir, 'clone', '--quiet', repo, clone)
    git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'later')
    const later = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'update-ref', 'refs/pull/3/head', later)
    const into = path.join(dir, 'fetched')
    const source = { checkout: clone, revision: later, fetch: 'refs/pull/3/head' }
    await snapshotReviewedFiles(source, into, fakeLogger())
    expect(existsSync(path.join(into, 'bin/run.sh'))).toBe(true)
  })

  it('fails clearly when origin has the ref but not the head it was told of', async () => {
    git(repo, 'update-ref', 'refs/pull/5/head', 'HEAD')
    const clone = path.join(dir, 'moved-on')
    git(dir, 'clone', '--quiet', '--no-local', repo, clone)
    const source = { checkout: clone, revision: 'e'.repeat(40), fetch: 'refs/pull/5/head' }
    await expect(snapshotReviewedFiles(source, path.join(dir, 'moved-on-snapshot'), fakeLogger())).rejects.toThrow(
      "`git fetch origin refs/pull/5/head` did not bring the pull request's head eeeeeee"
    )
  })

  it('fails clearly when the head is nowhere to be had', async () => {
    const source = { checkout: repo, revision: 'f'.repeat(40), fetch: 'refs/pull/404/head' }
    await expect(snapshotReviewedFiles(source, path.join(dir, 'none'), fakeLogger())).rejects.toThrow(
      "The pull request's head fffffff is not in"
    )
  })
})
