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
