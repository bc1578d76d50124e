import { readdir, realpath } from 'node:fs/promises'
import path from 'node:path'

/**
 * Symbolic links in the workspace that lead out of it or into `.git/`. The
 * checkout is the pull request's, and a link it adds (`docs/notes -> /proc/self/environ`,
 * `src/x -> ../.git/config`) would let the read tool follow it past every
 * path rule, so the reviewer is denied these paths. Returned relative to the workspace.
 */
export async function escapingLinks(workspace: string): Promise<string[]> {
  const root = await realpath(workspace).catch(() => undefined)
  // No workspace, nothing to follow.
  if (root === undefined) return []
  const gitDir = path.join(root, '.git')
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  const escaping: string[] = []
  for (const entry of entries) {
    if (!entry.isSymbolicLink()) continue
    const link = path.join(entry.parentPath, entry.name)
    const target = await realpath(link).catch(() => undefined)
    // A dangling link reads nothing; anything else must stay inside the workspace and out of .git/.
    if (target === undefined) continue
    const inside = target === root || target.startsWith(root + path.sep)
    const inGit = target === gitDir || target.startsWith(gitDir + path.sep)
    if (!inside || inGit) escaping.push(path.relative(root, link))
  }
  return escaping.sort()
}
