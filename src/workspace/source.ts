/**
 * What the reviewer's tools read, handed to their server as its one argument (JSON): a commit of a
 * repository, read out of git's object store (a pull request's files: nothing is written out of
 * it, so nothing of it can run, link elsewhere or be taken for a configuration), or the developer's
 * own working tree (the local command's branch, changes not yet committed included), or nothing
 * when no repository was checked out.
 */
export type WorkspaceSource =
  | { kind: 'commit'; gitDir: string; commit: string }
  | { kind: 'working-tree'; gitDir: string; root: string }
  | { kind: 'none' }

const OBJECT_NAME = /^([0-9a-f]{40}|[0-9a-f]{64})$/

/** The source from the server's argument; throws on anything else. */
export function parseSource(json: string): WorkspaceSource {
  let source: Partial<Record<string, unknown>> = {}
  try {
    source = JSON.parse(json) ?? {}
  } catch {
    // Said below.
  }
  const text = (key: string) => (typeof source[key] === 'string' && source[key] !== '' ? source[key] : undefined)
  const gitDir = text('gitDir')
  if (source.kind === 'commit' && gitDir && OBJECT_NAME.test(text('commit') ?? ''))
    return { kind: 'commit', gitDir, commit: source.commit as string }
  if (source.kind === 'working-tree' && gitDir && text('root'))
    return { kind: 'working-tree', gitDir, root: source.root as string }
  if (source.kind === 'none') return { kind: 'none' }
  throw new Error(`The workspace server's argument names no repository it can read: ${json.slice(0, 300)}`)
}
