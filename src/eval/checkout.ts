import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { ActionError, errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import type { BenchmarkPullRequest } from './golden.js'

/**
 * A benchmark pull request's code on disk: a shallow fetch of its head
 * (`refs/pull/N/head`) and its base into a cache folder of its own, the head
 * checked out as branch `pull-N`. GitHub names the base by the pull
 * request's API (its `base.sha`); any other repository (a local stand-in)
 * carries it as `refs/pull/N/base`. Both go through the same fetch.
 */

const run = promisify(execFile)

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', cwd, ...args], { maxBuffer: 64 * 1024 * 1024 })
  return stdout.trim()
}

/** Commits fetched at first, and added each round while head and base share no commit yet. */
const DEPTH = 50
const DEEPEN_ROUNDS = 6

export interface PullRequestCheckout {
  /** The checkout the pipeline reviews (its current branch). */
  dir: string
  /** The base to compare with: the fetched base commit's ref. */
  base: string
}

/** The base commit's sha from GitHub's API (a token raises the rate limit; public repositories need none). */
async function githubBaseSha(pull: BenchmarkPullRequest, token: string | undefined): Promise<string> {
  const api = process.env.GITHUB_API_URL || 'https://api.github.com'
  const url = `${api}/repos/${pull.name}/pulls/${pull.number}`
  const response = await fetch(url, {
    headers: { Accept: 'application/vnd.github+json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }
  }).catch((error: unknown) => {
    throw new ActionError(`Cannot read ${pull.url} from GitHub's API: ${errorMessage(error)}`)
  })
  if (!response.ok) {
    const hint = response.status === 403 || response.status === 429 ? ' Set GITHUB_TOKEN to raise the rate limit.' : ''
    throw new ActionError(`Cannot read ${pull.url} from GitHub's API: HTTP ${response.status}.${hint}`)
  }
  const body = (await response.json()) as { base?: { sha?: string } }
  if (!body.base?.sha) throw new ActionError(`GitHub's API gave no base commit for ${pull.url}.`)
  return body.base.sha
}

/** What to fetch as the base: GitHub's base sha, or the stand-in's own ref. */
async function baseRevision(pull: BenchmarkPullRequest, token: string | undefined): Promise<string> {
  return pull.repository.startsWith('https://github.com/')
    ? githubBaseSha(pull, token)
    : `refs/pull/${pull.number}/base`
}

async function mergeBaseFound(dir: string): Promise<boolean> {
  return git(dir, 'merge-base', 'refs/eval/base', 'refs/eval/head').then(
    () => true,
    () => false
  )
}

/** Fetches (or refreshes) the pull request's head and base into `cacheDir`, deepening until they share a commit. */
export async function checkOutPullRequest(
  pull: BenchmarkPullRequest,
  cacheDir: string,
  token: string | undefined,
  log: Logger
): Promise<PullRequestCheckout> {
  const dir = path.join(cacheDir, ...pull.name.split('/'), String(pull.number))
  mkdirSync(dir, { recursive: true })
  await git(dir, 'init', '-q')
  // The remote is named `origin` so the review names the repository as the pull request does.
  await git(dir, 'remote', 'remove', 'origin').catch(() => undefined)
  await git(dir, 'remote', 'add', 'origin', pull.repository)
  const refspecs = [
    `+refs/pull/${pull.number}/head:refs/eval/head`,
    `+${await baseRevision(pull, token)}:refs/eval/base`
  ]
  const fetch = (depth: string) =>
    git(dir, 'fetch', '-q', '--no-tags', depth, 'origin', ...refspecs).catch((error: unknown) => {
      throw new ActionError(`Cannot fetch ${pull.url} from ${pull.repository}: ${errorMessage(error)}`)
    })
  log.info(`Fetching ${pull.url}`)
  await fetch(`--depth=${DEPTH}`)
  for (let round = 0; round < DEEPEN_ROUNDS && !(await mergeBaseFound(dir)); round++)
    await fetch(`--deepen=${DEPTH * 2 ** round}`)
  if (!(await mergeBaseFound(dir)))
    throw new ActionError(
      `${pull.url}: its head and base share no commit within the fetched history; remove ${dir} and try again, or leave the pull request out with --repo.`
    )
  await git(dir, 'checkout', '-q', '--force', '-B', `pull-${pull.number}`, 'refs/eval/head')
  return { dir, base: 'refs/eval/base' }
}
