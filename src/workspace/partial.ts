/**
 * A blobless or sparse clone (actions/checkout's `filter: blob:none`, `sparse-checkout`) holds the
 * commit's tree but only some of its files' content: git fetches a missing blob the moment it is
 * read, one fetch per blob. Reading a file so fetches that file alone. A search would fetch every
 * blob it looks through, one at a time (a minute per thousand files from a local remote, measured
 * with `git grep <commit>` on git 2.39): instead, the blobs a search needs are fetched together, in
 * one fetch, when they are few enough.
 */
import { GitFailure, type GitRepository, runGit } from './git.js'

/** `git config --get-regexp` of a repository with no match exits 1: an empty answer, not a failure. */
async function configMatching(repository: GitRepository, pattern: string): Promise<string[]> {
  const output = await runGit(repository, ['config', '--get-regexp', pattern]).catch((error: unknown) => {
    if (error instanceof GitFailure && error.code === 1) return Buffer.alloc(0)
    throw error
  })
  return output.toString('utf8').split('\n').filter(Boolean)
}

/** The remote a partial clone fetches missing objects from, as its config names it; undefined for a full clone. */
export async function promisorRemote(repository: GitRepository): Promise<string | undefined> {
  const promisors = await configMatching(repository, '^remote\\..*\\.promisor$')
  const remote = promisors.find((line) => / true$/i.test(line))?.replace(/^remote\.(.*)\.promisor .*$/is, '$1')
  if (remote) return remote
  // Older git names it here.
  const [legacy] = await configMatching(repository, '^extensions\\.partialclone$')
  return legacy?.split(' ')[1]
}

/**
 * The objects the repository holds (its packs, loose objects and alternates), fetching none: in a blobless
 * clone, its commits and trees and the blobs fetched so far. Listing them costs what they number, where
 * walking the commit's tree for those it lacks (`rev-list --missing=print`) costs a failed lookup per
 * missing blob: 6 s for 200,000 of them.
 */
export async function presentObjects(repository: GitRepository): Promise<Set<string>> {
  const listing = await runGit(repository, [
    'cat-file',
    '--batch-check=%(objectname)',
    '--batch-all-objects',
    '--unordered'
  ])
  return new Set(listing.toString('latin1').split('\n').filter(Boolean))
}

/** Fetches `objects` from `remote` in one fetch, as git's own lazy fetch asks for one. */
export async function fetchBlobs(
  repository: GitRepository,
  remote: string,
  objects: readonly string[],
  timeoutMs: number
): Promise<void> {
  await runGit(
    repository,
    [
      '-c',
      'fetch.negotiationAlgorithm=noop',
      'fetch',
      remote,
      '--no-tags',
      '--no-write-fetch-head',
      '--recurse-submodules=no',
      '--filter=blob:none',
      '--stdin'
    ],
    { input: objects.map((object) => `${object}\n`).join(''), timeoutMs }
  )
}
