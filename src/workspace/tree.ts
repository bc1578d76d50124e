/**
 * The repository's files as git knows them, names only: in a blobless clone no file's content is
 * fetched to list them. A commit's are looked up in its tree path by path (`git ls-tree` reads the
 * trees on the way alone, whatever the repository's size) and listed whole only for a glob without a
 * folder to start from; a working tree's are the files its index tracks (`git ls-files`), read once.
 */
import { GitFailure, type GitRepository, runGit } from './git.js'
import { ToolError } from './tool-error.js'

export type EntryKind = 'file' | 'link' | 'submodule' | 'directory'

export interface Entry {
  kind: EntryKind
  /** The blob (a submodule's commit, a directory's tree) git records. */
  object: string
}

/** A directory's entry as a listing shows it. */
export interface Child {
  name: string
  kind: EntryKind
}

export interface RepositoryFiles {
  /** What `path` is: '' is the root; undefined when the repository holds nothing there. */
  entry(path: string): Promise<Entry | undefined>
  /** What the directory holds, sorted by name; undefined when there is no such directory. */
  children(directory: string): Promise<Child[] | undefined>
  /** Every file under `directory` ('' for all of them), at any depth. */
  files(directory: string): Promise<Map<string, Entry>>
}

const KINDS: Record<string, EntryKind> = {
  '100644': 'file',
  '100755': 'file',
  '120000': 'link',
  '160000': 'submodule',
  '040000': 'directory'
}

const ROOT: Entry = { kind: 'directory', object: '' }

/** Splits git's `-z` listing into entries: `<mode> <...fields> <object>\t<path>`, the object being the field `objectField`. */
function parseListing(listing: Buffer, objectField: number): Map<string, Entry> {
  const entries = new Map<string, Entry>()
  for (const record of listing.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t')
    if (tab < 0) continue
    const fields = record.slice(0, tab).split(' ')
    const kind = KINDS[fields[0]]
    if (kind) entries.set(record.slice(tab + 1), { kind, object: fields[objectField] })
  }
  return entries
}

function byName(a: Child, b: Child): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** `a/b/c` → [`a/b`, `c`]; a name at the root has the parent ''. */
function split(path: string): [string, string] {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)]
}

const under = (directory: string) => (directory ? [`${directory}/`] : [])

/** A commit's files, looked up in its tree as they are asked for. */
export class CommitFiles implements RepositoryFiles {
  private all: Promise<Map<string, Entry>> | undefined

  constructor(
    private readonly repository: GitRepository,
    private readonly commit: string
  ) {}

  /** `git ls-tree` of the commit, paths taken literally; a ToolError with git's word when it fails. */
  private async listTree(options: string[], paths: string[]): Promise<Map<string, Entry>> {
    const listing = await runGit(this.repository, [
      '--literal-pathspecs',
      'ls-tree',
      '-z',
      ...options,
      this.commit,
      '--',
      ...paths
    ]).catch((error: unknown) => {
      throw new ToolError(
        `git could not read the repository's files: ${error instanceof GitFailure ? error.stderr.trim() : String(error)}`
      )
    })
    return parseListing(listing, 2)
  }

  async entry(path: string): Promise<Entry | undefined> {
    if (path === '') return ROOT
    return (await this.listTree([], [path])).get(path)
  }

  async children(directory: string): Promise<Child[] | undefined> {
    const listed = await this.listTree([], under(directory))
    if (listed.size === 0) return undefined
    return [...listed].map(([path, entry]) => ({ name: split(path)[1], kind: entry.kind })).sort(byName)
  }

  files(directory: string): Promise<Map<string, Entry>> {
    if (directory !== '') return this.listTree(['-r'], [`${directory}/`])
    this.all ??= this.listTree(['-r'], []).catch((error: unknown) => {
      this.all = undefined
      throw error
    })
    return this.all
  }
}

/** The files a working tree tracks, as its index lists them (a file in conflict once), read once. */
export class TrackedFiles implements RepositoryFiles {
  private listing: Promise<{ entries: Map<string, Entry>; directories: Map<string, Map<string, Child>> }> | undefined

  constructor(private readonly repository: GitRepository) {}

  private read() {
    this.listing ??= runGit(this.repository, ['ls-files', '--stage', '-z']).then(
      (listing) => {
        const entries = parseListing(listing, 1)
        return { entries, directories: directoriesOf(entries) }
      },
      (error: unknown) => {
        this.listing = undefined
        throw new ToolError(
          `git could not list the working tree's files: ${error instanceof GitFailure ? error.stderr.trim() : String(error)}`
        )
      }
    )
    return this.listing
  }

  async entry(path: string): Promise<Entry | undefined> {
    const { entries, directories } = await this.read()
    return entries.get(path) ?? (directories.has(path) ? ROOT : undefined)
  }

  async children(directory: string): Promise<Child[] | undefined> {
    const children = (await this.read()).directories.get(directory)
    return children && [...children.values()].sort(byName)
  }

  async files(directory: string): Promise<Map<string, Entry>> {
    const { entries } = await this.read()
    if (directory === '') return entries
    return new Map([...entries].filter(([path]) => path.startsWith(`${directory}/`)))
  }
}

/** Each directory the files lie in, and what it holds. */
function directoriesOf(entries: Map<string, Entry>): Map<string, Map<string, Child>> {
  const directories = new Map<string, Map<string, Child>>([['', new Map()]])
  for (const [file, entry] of entries) {
    let [parent, name] = split(file)
    let child: Child = { name, kind: entry.kind }
    // Up from the file until a directory known already: its own parents are known too.
    for (let known = directories.get(parent); known === undefined; known = directories.get(parent)) {
      directories.set(parent, new Map([[child.name, child]]))
      ;[parent, name] = split(parent)
      child = { name, kind: 'directory' }
    }
    directories.get(parent)?.set(child.name, child)
  }
  return directories
}
