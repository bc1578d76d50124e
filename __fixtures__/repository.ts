import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Git repositories for the workspace's tests: files written and committed as a pull request would hold them. */

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-C', cwd, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    encoding: 'utf8'
  }).trim()
}

/** A file's content, an executable's, or a symbolic link's target. */
export type FileSpec = string | Buffer | { executable: string } | { link: string }

/** Writes `files` under `root`, creating folders as needed. */
export function writeFiles(root: string, files: Record<string, FileSpec>): void {
  for (const [file, spec] of Object.entries(files)) {
    const at = path.join(root, file)
    mkdirSync(path.dirname(at), { recursive: true })
    if (typeof spec === 'object' && 'link' in spec) symlinkSync(spec.link, at)
    else if (typeof spec === 'object' && 'executable' in spec) {
      writeFileSync(at, spec.executable)
      chmodSync(at, 0o755)
    } else writeFileSync(at, spec)
  }
}

/** A new repository at `root` whose one commit holds `files`; returns that commit. */
export function commitRepository(root: string, files: Record<string, FileSpec>): string {
  execFileSync('git', ['init', '--quiet', root])
  writeFiles(root, files)
  git(root, 'add', '--all')
  git(root, 'commit', '--quiet', '--message', 'The pull request')
  return git(root, 'rev-parse', 'HEAD')
}

/**
 * A commit on `parent` in `repository` whose tree also holds a `.git/` of its own, whose config runs a
 * command (touching `marker`) as git's file-system monitor wherever git takes the folder for a repository.
 * GitHub refuses such a push; a fetch from another origin does not. Returns the commit.
 */
export function commitWithDotGit(repository: string, parent: string, marker: string): string {
  const hash = (input: string, ...args: string[]) =>
    execFileSync('git', ['-C', repository, ...args], { input, encoding: 'utf8' }).trim()
  const blob = (text: string) => hash(text, 'hash-object', '-w', '--stdin')
  const tree = (lines: string) => hash(lines, 'mktree')
  const config = `[core]\n\trepositoryformatversion = 0\n\tfsmonitor = "touch ${marker}; false"\n`
  const keep = tree(`100644 blob ${blob('')}\t.keep\n`)
  const dotGit = tree(
    `100644 blob ${blob('ref: refs/heads/main\n')}\tHEAD\n100644 blob ${blob(config)}\tconfig\n040000 tree ${keep}\tobjects\n040000 tree ${keep}\trefs\n`
  )
  const top = tree(`${git(repository, 'ls-tree', parent)}\n040000 tree ${dotGit}\t.git\n`)
  return git(repository, 'commit-tree', top, '-p', parent, '-m', 'A .git of its own')
}
