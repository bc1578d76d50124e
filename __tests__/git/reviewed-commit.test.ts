import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { commitRepository, git, writeFiles } from '../../__fixtures__/repository.js'
import { resolveReviewedCommit } from '../../src/git/reviewed-commit.js'

// The action's checkout may hold the pull request's head, a merge of it (`pull_request`) or the base
// (`pull_request_target`, which never checks a fork's head out): the reviewer reads the head in each.

let dir: string
let origin: string
let base: string
let head: string

/** A clone of `origin` at its base, as actions/checkout leaves one on `pull_request_target`. */
function baseCheckout(name: string): string {
  const checkout = path.join(dir, name)
  execFileSync('git', ['clone', '--quiet', '--depth=1', `file://${origin}`, checkout])
  return checkout
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'reviewed-commit-'))
  origin = path.join(dir, 'origin')
  base = commitRepository(origin, { 'src/app.ts': 'export const base = 1\n' })
  git(origin, 'branch', '--move', 'main')
  // The fork's head: GitHub keeps it under refs/pull/N/head of the base repository, on no branch.
  writeFiles(origin, { 'src/fork.ts': 'export const fork = 2\n' })
  git(origin, 'add', '--all')
  git(origin, 'commit', '--quiet', '--message', 'The fork’s change')
  head = git(origin, 'rev-parse', 'HEAD')
  git(origin, 'update-ref', 'refs/pull/3/head', head)
  git(origin, 'reset', '--quiet', '--hard', base)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const source = (checkout: string) => ({ checkout, revision: head, fetch: 'refs/pull/3/head', checkedOut: true })

describe('the action’s checkout', () => {
  it('of the base fetches the pull request’s head from origin and reads it, checking nothing out', async () => {
    const checkout = baseCheckout('base')
    const log = fakeLogger()

    const reviewed = await resolveReviewedCommit(source(checkout), log)

    expect(reviewed?.commit).toBe(head)
    expect(log.info).toHaveBeenCalledWith(expect.stringContaining('Fetching refs/pull/3/head from origin'))
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(base)
    expect(existsSync(path.join(checkout, 'src/fork.ts'))).toBe(false)
  })

  it('holding the head, or a merge of it as pull_request checks out, reads HEAD and fetches nothing', async () => {
    const atHead = baseCheckout('at-head')
    git(atHead, 'fetch', '--quiet', 'origin', 'refs/pull/3/head')
    git(atHead, 'checkout', '--quiet', head)
    const merged = baseCheckout('merged')
    git(merged, 'fetch', '--quiet', 'origin', 'refs/pull/3/head')
    git(merged, 'merge', '--quiet', '--no-ff', '--message', 'Merge', head)
    const merge = git(merged, 'rev-parse', 'HEAD')
    // As actions/checkout fetches refs/pull/N/merge: that commit alone, its parents beyond the shallow edge.
    const shallowMerge = path.join(dir, 'shallow-merge')
    execFileSync('git', ['clone', '--quiet', '--depth=1', `file://${merged}`, shallowMerge])

    for (const [checkout, commit] of [
      [atHead, head],
      [merged, merge],
      [shallowMerge, merge]
    ]) {
      const log = fakeLogger()
      expect((await resolveReviewedCommit(source(checkout), log))?.commit).toBe(commit)
      expect(log.info).not.toHaveBeenCalledWith(expect.stringContaining('Fetching'))
    }
  })

  it('with no origin to fetch from (a repository the workflow made) reads HEAD, as before', async () => {
    const checkout = baseCheckout('no-origin')
    git(checkout, 'remote', 'remove', 'origin')

    expect((await resolveReviewedCommit(source(checkout), fakeLogger()))?.commit).toBe(base)
  })

  it('whose origin cannot be fetched from fails, saying what to do', async () => {
    const checkout = baseCheckout('unreachable')
    git(checkout, 'remote', 'set-url', 'origin', path.join(dir, 'gone'))

    await expect(resolveReviewedCommit(source(checkout), fakeLogger())).rejects.toThrow(
      /is not in .*, and `git fetch origin refs\/pull\/3\/head` failed .*Check out the pull request's repository with credentials/s
    )
  })
})
