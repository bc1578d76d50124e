/**
 * The repository the tools serve, as their source names it: its files' names and, file by file, their
 * content.
 */
import { type Content, blobContent, workingTreeContent } from './content.js'
import { commitRepository, type GitRepository } from './git.js'
import { promisorRemote } from './partial.js'
import type { WorkspaceSource } from './source.js'
import { ToolError } from './tool-error.js'
import { CommitFiles, type Entry, type RepositoryFiles, TrackedFiles } from './tree.js'

/** What every tool answers when no repository was checked out. */
export const NO_REPOSITORY =
  'No repository was checked out for this review: there are no files to read, so review from the diff alone.'

export class Workspace {
  readonly repository: GitRepository | undefined
  private readonly listed: RepositoryFiles | undefined
  private promisor: Promise<string | undefined> | undefined

  constructor(readonly source: WorkspaceSource) {
    if (source.kind === 'commit') {
      this.repository = commitRepository(source.gitDir)
      this.listed = new CommitFiles(this.repository, source.commit)
    } else if (source.kind === 'working-tree') {
      this.repository = { gitDir: source.gitDir, workTree: source.root }
      this.listed = new TrackedFiles(this.repository)
    }
  }

  /** The repository's files; a ToolError when no repository was checked out. */
  files(): RepositoryFiles {
    if (this.listed === undefined) throw new ToolError(NO_REPOSITORY)
    return this.listed
  }

  /** The first `maxBytes` of `file`'s content; undefined when the working tree no longer holds it as a regular file. */
  async content(file: string, entry: Entry, maxBytes: number): Promise<Content | undefined> {
    const { source, repository } = this
    if (repository === undefined) return undefined
    return source.kind === 'working-tree'
      ? workingTreeContent(source.root, file, maxBytes)
      : blobContent(repository, entry.object, maxBytes)
  }

  /** For a commit of a blobless or sparse clone, the remote its missing blobs come from, looked up once. */
  partialCloneRemote(): Promise<string | undefined> {
    const { source, repository } = this
    if (source.kind !== 'commit' || repository === undefined) return Promise.resolve(undefined)
    this.promisor ??= promisorRemote(repository)
    return this.promisor
  }
}
