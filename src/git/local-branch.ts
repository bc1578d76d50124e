import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { ActionError } from '../errors.js'
import type { PullRequest } from '../domain/pull-request.js'

const run = promisify(execFile)

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', cwd, ...args], { maxBuffer: 512 * 1024 * 1024 })
  return stdout.trim()
}

async function gitOrUndefined(cwd: string, ...args: string[]): Promise<string | undefined> {
  return git(cwd, ...args).catch(() => undefined)
}

/** The branch's upstream, else `main`, else `master`. */
async function defaultBase(cwd: string): Promise<string> {
  const upstream = await gitOrUndefined(cwd, 'rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}')
  if (upstream) return upstream
  for (const candidate of ['main', 'master', 'origin/main', 'origin/master']) {
    if (await gitOrUndefined(cwd, 'rev-parse', '--verify', '--quiet', `${candidate}^{commit}`)) return candidate
  }
  throw new ActionError(
    'No base to compare with: the branch has no upstream and there is no main or master branch. Pass --base <ref>.'
  )
}

/** Why a branch without a change has nothing to review: said before anything starts. */
async function nothingToCompare(root: string, branch: string, baseRef: string, head: string, mergeBase: string) {
  const switchOrBase = 'Switch to your branch, or pass --base <ref> to compare with another base.'
  if (head === (await git(root, 'rev-parse', `${baseRef}^{commit}`)))
    return `You are on the base branch: ${branch === baseRef ? branch : `${branch}, at ${baseRef},`} has no uncommitted change to tracked files, so there is nothing to review. ${switchOrBase}`
  if (head === mergeBase)
    return `${branch} has no commit ahead of ${baseRef} and no uncommitted change to tracked files: nothing to review. ${switchOrBase}`
  return `Nothing to review: the commits of ${branch} since it left ${baseRef} change nothing, and no tracked file has an uncommitted change.`
}

export interface LocalBranch {
  root: string
  /** The branch, shaped like a pull request for the prompt. */
  pullRequest: PullRequest
  /** `git diff` from where the branch left the base, uncommitted changes to tracked files included. */
  diff: string
}

/** The current branch of the checkout at `cwd` against `base`. */
export async function readLocalBranch(cwd: string, base: string | undefined): Promise<LocalBranch> {
  const root = await gitOrUndefined(cwd, 'rev-parse', '--show-toplevel')
  if (!root)
    throw new ActionError(
      `${cwd} is not inside a git checkout: run the command in the repository whose branch you want reviewed, or pass --pr owner/repo#N.`
    )
  const baseRef = base ?? (await defaultBase(root))
  if (!(await gitOrUndefined(root, 'rev-parse', '--verify', '--quiet', `${baseRef}^{commit}`))) {
    throw new ActionError(
      `--base '${baseRef}' is not a commit of this repository: give a branch, tag or commit (for example --base origin/main).`
    )
  }
  const mergeBase = await git(root, 'merge-base', baseRef, 'HEAD')
  const head = await git(root, 'rev-parse', 'HEAD')
  const branch = (await gitOrUndefined(root, 'rev-parse', '--abbrev-ref', 'HEAD')) ?? 'HEAD'
  const subjects = await git(root, 'log', '--format=- %s', `${mergeBase}..HEAD`)
  const remote = await gitOrUndefined(root, 'remote', 'get-url', 'origin')
  const [owner, repo] = /[:/]([^/:]+)\/([^/]+?)(?:\.git)?$/.exec(remote ?? '')?.slice(1) ?? [
    'local',
    root.split('/').pop() ?? 'repository'
  ]
  const diff = await run('git', ['-C', root, 'diff', '--no-color', '--no-ext-diff', '--find-renames', mergeBase], {
    maxBuffer: 512 * 1024 * 1024
  }).then((result) => result.stdout)
  if (diff === '') throw new ActionError(await nothingToCompare(root, branch, baseRef, head, mergeBase))
  return {
    root,
    diff,
    pullRequest: {
      owner,
      repo,
      number: 0,
      title: `${branch} (local branch)`,
      body: subjects ? `Commits on the branch:\n${subjects}` : 'Uncommitted changes.',
      author: (await gitOrUndefined(root, 'config', 'user.name')) ?? 'unknown',
      draft: false,
      baseRef,
      headRef: branch,
      baseSha: mergeBase,
      headSha: head,
      labels: []
    }
  }
}
