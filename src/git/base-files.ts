import type { BaseFiles } from '../conventions/read.js'
import { git } from './local-branch.js'

/**
 * A local branch's base commit through git: `git ls-tree` lists its files,
 * `git cat-file` reads one. Never the working tree, which holds the change.
 */
export function baseFilesInGit(cwd: string, baseSha: string): BaseFiles {
  return {
    label: `the base commit ${baseSha.slice(0, 7)}`,
    list: async () =>
      (await git(cwd, 'ls-tree', '-r', '-z', '--full-tree', '--name-only', baseSha)).split('\0').filter(Boolean),
    // `<commit>:<path>` names a path from the repository's root, wherever `cwd` is in it.
    read: (path) => git(cwd, 'cat-file', 'blob', `${baseSha}:${path}`)
  }
}
