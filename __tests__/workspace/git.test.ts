import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { commitRepository, commitWithDotGit, git } from '../../__fixtures__/repository.js'
import { readFile } from '../../src/workspace/read.js'
import { searchFiles } from '../../src/workspace/search.js'
import { Workspace } from '../../src/workspace/workspace.js'

// git as the tools run it reads the repository's objects and its own config, nothing the pull request or the machine sets.
const dir = mkdtempSync(path.join(tmpdir(), 'workspace-git-'))
const repository = path.join(dir, 'repository')
let head: string
let workspace: Workspace

/** Hides `*.ts` from a search that skips binary files, when git takes it for its attributes file. */
const attributes = path.join(dir, 'attributes')

beforeAll(() => {
  head = commitRepository(repository, { 'src/app.ts': 'export const needle = 1\n', '.gitattributes': '*.ts -diff\n' })
  writeFileSync(attributes, '*.ts -diff\n')
  workspace = new Workspace({ kind: 'commit', gitDir: path.join(repository, '.git'), commit: head })
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `git grep -I` of the commit as git runs in the checkout by default, with `env` on top: the control. */
function plainGrep(env: Record<string, string> = {}): string {
  try {
    return execFileSync('git', ['grep', '-I', 'needle', head], {
      cwd: repository,
      env: { ...process.env, ...env },
      encoding: 'utf8'
    })
  } catch {
    return ''
  }
}

describe('git, as the tools run it', () => {
  it('takes no attribute from the pull request’s .gitattributes (control: git in the checkout does)', async () => {
    expect(plainGrep()).toBe('')
    expect(await searchFiles(workspace, { pattern: 'needle' })).toBe('src/app.ts:1: export const needle = 1')
  })

  it('takes no config from the environment’s -c or the global config (control: plain git does)', async () => {
    const viaParameters = { GIT_CONFIG_PARAMETERS: `'core.attributesFile'='${attributes}'` }
    const home = path.join(dir, 'home')
    mkdirSync(home, { recursive: true })
    writeFileSync(path.join(home, '.gitconfig'), `[core]\n\tattributesFile = ${attributes}\n`)
    // The checkout's own .gitattributes out of the way, the environment's and the global config's alone would hide it.
    git(repository, 'rm', '--quiet', '--cached', '.gitattributes')
    rmSync(path.join(repository, '.gitattributes'))
    expect(plainGrep()).toContain('needle')
    expect(plainGrep(viaParameters)).toBe('')
    expect(plainGrep({ HOME: home })).toBe('')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, viaParameters, { HOME: home })
      expect(await searchFiles(new Workspace(workspace.source), { pattern: 'needle' })).toBe(
        'src/app.ts:1: export const needle = 1'
      )
    } finally {
      for (const name of ['GIT_CONFIG_PARAMETERS', 'HOME']) {
        if (saved[name] === undefined) delete process.env[name]
        else process.env[name] = saved[name]
      }
    }
  })
})

describe('a tree that holds a .git/ of its own (a fetched pull request, which GitHub would have refused)', () => {
  const marker = path.join(dir, 'fsmonitor-ran')
  let evil: string

  beforeAll(() => {
    evil = commitWithDotGit(repository, head, marker)
  })

  it('runs nothing of it: nothing is written out, and its files are never read (control: written out, git runs it)', async () => {
    const tools = new Workspace({ kind: 'commit', gitDir: path.join(repository, '.git'), commit: evil })
    await expect(readFile(tools, { path: '.git/config' })).rejects.toThrow('You may not read .git/config')
    expect(await searchFiles(tools, { pattern: 'fsmonitor|needle' })).toBe('src/app.ts:1: export const needle = 1')
    expect(existsSync(marker)).toBe(false)

    // The control: the commit's files written out into a folder, as the reviewer's snapshot did, and searched there.
    const written = path.join(dir, 'written')
    for (const line of git(repository, 'ls-tree', '-r', evil).split('\n')) {
      const [, , object, file] = /^(\d+) blob ([0-9a-f]+)\t(.*)$/.exec(line) ?? []
      mkdirSync(path.dirname(path.join(written, file)), { recursive: true })
      writeFileSync(path.join(written, file), execFileSync('git', ['-C', repository, 'cat-file', 'blob', object]))
    }
    // It finds nothing there (that repository tracks nothing): what counts is what git ran on the way.
    spawnSync('git', ['grep', 'needle'], { cwd: written, stdio: 'ignore' })
    expect(existsSync(marker)).toBe(true)
  })
})
