/**
 * git as the reviewer's tools run it: against the repository's object store alone, configured by
 * nothing but the repository's own config (the workflow's, or the developer's: never a pull
 * request's). No system or global config, no `-c` or `GIT_*` of the environment, no hook, no
 * fsmonitor, no attribute file but the repository's own; a commit's files are read with no work
 * tree and no index, so that no `.gitattributes` of the pull request applies; no filter or textconv
 * is ever asked for. Every argument a model chooses comes after `-e` or `--`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A repository as the tools read it. */
export interface GitRepository {
  gitDir: string
  /** The files git compares with its index: the developer's working tree, or for a commit an empty folder; none for a command that reads objects alone. */
  workTree?: string
  /** Undefined: the repository's own index. */
  indexFile?: string
}

/** git reads `/dev/null` as no file on every platform, Git for Windows included. */
const NOTHING = '/dev/null'

const NEUTRAL_CONFIG = {
  'core.fsmonitor': 'false',
  'core.hooksPath': NOTHING,
  'core.attributesFile': NOTHING,
  'core.quotePath': 'false',
  // A read that fetches a missing blob must not start a repack in the background.
  'gc.auto': '0',
  'maintenance.auto': 'false'
}

/** The environment without what would configure git from outside the repository. */
export function gitEnvironment(env: NodeJS.ProcessEnv = process.env, repository?: GitRepository): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([name]) => !name.startsWith('GIT_'))
  return {
    ...Object.fromEntries(kept),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: NOTHING,
    GIT_ATTR_NOSYSTEM: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    ...(repository?.indexFile ? { GIT_INDEX_FILE: repository.indexFile } : {})
  }
}

/** The arguments before git's command: the neutral config, the repository and its work tree. */
export function gitArguments(repository: GitRepository, command: string[]): string[] {
  return [
    ...Object.entries(NEUTRAL_CONFIG).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    `--git-dir=${repository.gitDir}`,
    ...(repository.workTree ? [`--work-tree=${repository.workTree}`] : []),
    ...command
  ]
}

/**
 * A commit's repository as the tools read it: an empty folder of the tools' own for a work tree, and
 * an index file that does not exist (so an empty one), in place of the checkout's.
 */
export function commitRepository(gitDir: string): GitRepository {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'workspace-git-'))
  return { gitDir, workTree: empty, indexFile: path.join(empty, 'no-index') }
}

/** A git command that failed; `stderr` is git's own word. */
export class GitFailure extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly stderr: string
  ) {
    super(`git ${command} failed (${code === null ? 'killed' : `exit code ${code}`}): ${stderr.trim() || 'no message'}`)
    this.name = 'GitFailure'
  }
}

/** Runs git to the end and returns its output; `input` goes to its stdin. Throws a GitFailure unless it exits 0. */
export function runGit(
  repository: GitRepository,
  command: string[],
  options: { input?: string; timeoutMs?: number } = {}
): Promise<Buffer> {
  const child = spawn('git', gitArguments(repository, command), {
    env: gitEnvironment(process.env, repository),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: options.timeoutMs
  })
  const output: Buffer[] = []
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8')
  })
  child.stdin.on('error', () => undefined)
  child.stdin.end(options.input ?? '')
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new GitFailure(command[0], null, error.message)))
    child.once('close', (code) =>
      code === 0 ? resolve(Buffer.concat(output)) : reject(new GitFailure(command[0], code, stderr))
    )
  })
}
