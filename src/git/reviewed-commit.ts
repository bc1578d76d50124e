import { execFile } from 'node:child_process'
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ActionError } from '../errors.js'
import type { Logger } from '../logger.js'
import { runGit } from '../workspace/git.js'

/**
 * The commit whose files the reviewer reads, and the repository that holds it. Its files are read
 * out of git's object store by the reviewer's tools (src/workspace/), never written out: no folder of
 * them exists to hold `.git/` (where actions/checkout keeps the token), untracked files the
 * workflow's steps made, links that lead elsewhere, or OpenCode project files OpenCode would load.
 */

const run = promisify(execFile)

/** Where the reviewed files come from: a commit of a local repository. */
export interface CommitSource {
  checkout: string
  revision: string
  /** A ref of `origin` that holds `revision`, fetched when the checkout lacks it. */
  fetch?: string
  /**
   * The developer's clone, which the command may be run from a folder of. Otherwise `checkout` must
   * be the repository itself: a repository around the runner's workspace (a home kept in git) is
   * none of the review's.
   */
  enclosing?: boolean
  /**
   * The action's checkout: its `HEAD` stands for `revision` when it is `revision` or a merge of it (a
   * `pull_request` run's `refs/pull/N/merge`). A checkout of another commit (the base, as
   * `pull_request_target` checks out, so that a fork's head is never checked out) reads `revision`,
   * fetched from its origin when missing; one with no origin (a repository the workflow made) reads `HEAD`.
   */
  checkedOut?: boolean
}

export interface ReviewedCommit {
  /** The repository's git directory. */
  gitDir: string
  /** The full commit. */
  commit: string
}

/** The git directory of the repository at `checkout` (or, `enclosing`, around it); undefined when there is none. */
export async function gitDirectoryOf(checkout: string, enclosing: boolean): Promise<string | undefined> {
  const at = await realpath(checkout).catch(() => undefined)
  if (at === undefined) return undefined
  const env = enclosing ? process.env : { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(at) }
  return run('git', ['-C', at, 'rev-parse', '--absolute-git-dir'], { env }).then(
    ({ stdout }) => stdout.trim(),
    () => undefined
  )
}

/** The commit `revision` names in the repository, read as the tools read it; undefined when there is none. */
async function commitNamed(gitDir: string, revision: string): Promise<string | undefined> {
  return runGit({ gitDir }, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).then(
    (stdout) => stdout.toString('utf8').trim(),
    () => undefined
  )
}

/** The parents a commit's object names (read from the object itself: a shallow clone's graft hides them from `^@`). */
async function parentsOf(gitDir: string, commit: string): Promise<string[]> {
  const stdout = (await runGit({ gitDir }, ['cat-file', 'commit', commit])).toString('utf8')
  const header = stdout.slice(0, stdout.indexOf('\n\n'))
  return [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map(([, parent]) => parent)
}

/** The checkout's `HEAD` when it stands for `revision`, or when there is no origin to fetch `revision` from. */
async function checkedOutCommit(gitDir: string, checkout: string, revision: string): Promise<string | undefined> {
  const head = await commitNamed(gitDir, 'HEAD')
  if (head === undefined || head === revision || (await parentsOf(gitDir, head)).includes(revision)) return head
  const origin = await run('git', ['-C', checkout, 'remote', 'get-url', 'origin']).then(
    () => true,
    () => false
  )
  return origin ? undefined : head
}

/** Fetches `ref` from the checkout's origin, with its git configuration (its credentials), and returns `revision` as fetched. */
async function fetchedCommit(gitDir: string, checkout: string, revision: string, ref: string, log: Logger) {
  log.info(`Fetching ${ref} from origin: the clone lacks ${revision.slice(0, 7)}. Nothing is checked out.`)
  await run('git', ['-C', checkout, 'fetch', '--no-tags', '--quiet', 'origin', ref]).catch((error: Error) => {
    throw new ActionError(
      `The pull request's head ${revision.slice(0, 7)} is not in ${checkout}, and \`git fetch origin ${ref}\` failed (${error.message.trim()}). Check out the pull request's repository with credentials that can read it (actions/checkout keeps them unless \`persist-credentials: false\`), or run the command in a clone of it.`
    )
  })
  const commit = await commitNamed(gitDir, revision)
  if (commit === undefined) {
    throw new ActionError(
      `\`git fetch origin ${ref}\` did not bring the pull request's head ${revision.slice(0, 7)} into ${checkout}: its origin is not the pull request's repository, or the pull request moved on. Fetch it, or check out (or run the command in a clone of) the pull request's repository.`
    )
  }
  return commit
}

/**
 * The commit `source` names and its repository, fetching a pull request's head the checkout lacks
 * (never checking it out). A workspace that is no git checkout (a workflow without actions/checkout)
 * has none: the reviewer has the diff alone.
 */
export async function resolveReviewedCommit(source: CommitSource, log: Logger): Promise<ReviewedCommit | undefined> {
  const { checkout, revision } = source
  const gitDir = await gitDirectoryOf(checkout, source.enclosing ?? false)
  let commit = gitDir && (source.checkedOut ? await checkedOutCommit(gitDir, checkout, revision) : undefined)
  commit ||= gitDir && (await commitNamed(gitDir, revision))
  if (gitDir && commit === undefined && source.fetch && (await commitNamed(gitDir, 'HEAD')))
    commit = await fetchedCommit(gitDir, checkout, revision, source.fetch, log)
  if (!gitDir || !commit) {
    log.warning(
      `${checkout} is not a git checkout of the reviewed commit: the reviewer has the diff alone. Check the repository out (actions/checkout) before this step to let it read the code around the changes.`
    )
    return undefined
  }
  log.info(`The reviewer reads the files of ${commit.slice(0, 7)} out of git's object store: none is written out.`)
  return { gitDir, commit }
}
