/**
 * The reviewer's search of file contents, within what it may read: the files git tracks in the
 * workspace (or, in a folder that is no repository, the files in it), never a file the read rules
 * deny, never through a symbolic link, never outside the workspace. The pattern is the pull
 * request's to steer: `git grep` matches it (POSIX expressions, no back-references, so no
 * exponential backtracking), patterns that are costly to compile are refused, and a time limit
 * ends whatever still runs too long.
 */
import { execFile, spawn } from 'node:child_process'
import { lstat, realpath } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { mayRead, type ReadRules } from './read-rules.js'
import { pathspecs, refuseCostlyPattern, SearchError, type SearchRequest } from './request.js'

export interface SearchLimits {
  maxMatches: number
  maxLineChars: number
  timeLimitMs: number
}

export const SEARCH_LIMITS: SearchLimits = { maxMatches: 100, maxLineChars: 200, timeLimitMs: 20_000 }

/** Longer paths are none a file system holds: cut, they match no file and are dropped. */
const MAX_PATH_BYTES = 4096
const runGit = promisify(execFile)

function holds(directory: string, inner: string): boolean {
  return inner === directory || inner.startsWith(directory.endsWith(path.sep) ? directory : directory + path.sep)
}

/** The workspace's real path, unless it holds the home or the temporary folder, which are never searched. */
async function searchableRoot(workspace: string): Promise<string> {
  const root = await realpath(workspace).catch(() => {
    throw new SearchError(`The workspace ${workspace} does not exist: there is nothing to search.`)
  })
  const kept = [os.homedir(), os.tmpdir(), process.env.RUNNER_TEMP].filter((folder): folder is string => !!folder)
  for (const folder of await Promise.all(kept.map((folder) => realpath(folder).catch(() => folder)))) {
    if (holds(root, folder)) {
      throw new SearchError(
        `The workspace ${root} holds ${folder}, which is never searched: start the search in the repository's folder.`
      )
    }
  }
  return root
}

/** git's environment without the variables that would point it at another repository, and no looking above the workspace. */
function gitEnvironment(root: string): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_'))
  return { ...Object.fromEntries(kept), GIT_CEILING_DIRECTORIES: path.dirname(root), GIT_OPTIONAL_LOCKS: '0' }
}

/** Whether the workspace is a repository whose tracked files are searched; a folder without `.git` is searched whole. */
async function isRepository(root: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if ((await lstat(path.join(root, '.git')).catch(() => undefined)) === undefined) return false
  const topLevel = await runGit('git', ['rev-parse', '--show-toplevel'], { cwd: root, env, timeout: 10_000 }).then(
    ({ stdout }) => stdout.trim(),
    (error: { stderr?: string; message: string }) => {
      throw new SearchError(
        `git cannot read the repository in ${root}, so nothing was searched: ${(error.stderr || error.message).trim()}`
      )
    }
  )
  // A repository whose work tree is elsewhere (core.worktree) would search files outside the workspace.
  if ((await realpath(topLevel).catch(() => topLevel)) !== root) {
    throw new SearchError(
      `git takes ${topLevel}, not the workspace ${root}, for the repository's folder: nothing was searched.`
    )
  }
  return true
}

interface Match {
  file: string
  line: string
  text: string
  /** Bytes of the text were dropped. */
  cut: boolean
}

/** git's `--null` records, `path NUL line NUL text LF`, read from its output chunk by chunk, each field kept to a bounded size. */
class MatchReader {
  private fields: string[] = []
  private pieces: Buffer[] = []
  private kept = 0
  private cut = false

  constructor(private readonly textBytes: number) {}

  *read(chunk: Buffer): Generator<Match> {
    for (let at = 0; at < chunk.length;) {
      const ending = chunk.indexOf(this.fields.length < 2 ? 0 : 10, at)
      this.keep(chunk.subarray(at, ending < 0 ? chunk.length : ending))
      if (ending < 0) return
      at = ending + 1
      this.fields.push(Buffer.concat(this.pieces).toString('utf8'))
      this.pieces = []
      this.kept = 0
      if (this.fields.length < 3) continue
      const [file, line, text] = this.fields
      yield { file, line, text, cut: this.cut }
      this.fields = []
      this.cut = false
    }
  }

  private keep(piece: Buffer): void {
    const room = (this.fields.length < 2 ? MAX_PATH_BYTES : this.textBytes) - this.kept
    if (piece.length > room) this.cut = true
    if (room <= 0) return
    this.pieces.push(piece.subarray(0, room))
    this.kept += Math.min(piece.length, room)
  }
}

/** Which files' lines are shown: those the read rules allow, regular files reached without any symbolic link. */
class ShownFiles {
  private readonly answers = new Map<string, Promise<boolean>>()

  constructor(
    private readonly root: string,
    private readonly rules: ReadRules
  ) {}

  shown(file: string): Promise<boolean> {
    let answer = this.answers.get(file)
    if (answer === undefined) {
      answer = this.check(file)
      this.answers.set(file, answer)
    }
    return answer
  }

  private async check(file: string): Promise<boolean> {
    const parts = file.split('/')
    if (parts.some((part) => part === '' || part === '.' || part === '..') || !mayRead(this.rules, file)) return false
    // lstat each step: a directory that is a link (`src -> /etc`) would lead anywhere.
    for (let depth = 1; depth <= parts.length; depth++) {
      const step = path.join(this.root, ...parts.slice(0, depth))
      const kind = await this.kindOf(step)
      if (kind !== (depth === parts.length ? 'file' : 'directory')) return false
    }
    return true
  }

  private readonly kinds = new Map<string, Promise<string>>()

  private kindOf(step: string): Promise<string> {
    let kind = this.kinds.get(step)
    if (kind === undefined) {
      kind = lstat(step).then(
        (stats) => (stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other'),
        () => 'missing'
      )
      this.kinds.set(step, kind)
    }
    return kind
  }
}

/** A file name may hold a line break: escaped, it cannot pass for a line of the answer. */
function printable(file: string): string {
  // eslint-disable-next-line no-control-regex
  return file.replace(/[\x00-\x1f\x7f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

function gitArguments(request: SearchRequest, files: string[], repository: boolean): string[] {
  return [
    '-c',
    'core.quotePath=false',
    'grep',
    ...(repository ? [] : ['--no-index']),
    '--null',
    '--line-number',
    '--no-column',
    '--no-color',
    // Binary files: their "lines" are noise.
    '-I',
    request.literal ? '--fixed-strings' : '--extended-regexp',
    ...(request.ignoreCase ? ['--ignore-case'] : []),
    '-e',
    request.pattern,
    '--',
    ...files
  ]
}

/**
 * Searches the workspace's files for `request`, answering one `path:line: text` line per match
 * (paths relative to the workspace), at most `limits.maxMatches` of them, each text cut to
 * `limits.maxLineChars`, then one line saying what was left out; `No matches.` when none.
 * Throws a SearchError for a pattern or glob it refuses, or when git fails.
 */
export async function searchWorkspace(
  workspace: string,
  rules: ReadRules,
  request: SearchRequest,
  limits: SearchLimits = SEARCH_LIMITS
): Promise<string> {
  refuseCostlyPattern(request)
  const files = pathspecs(request.glob)
  const root = await searchableRoot(workspace)
  const env = gitEnvironment(root)
  const repository = await isRepository(root, env)
  const git = spawn('git', gitArguments(request, files, repository), {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let failure: Error | undefined
  const exited = new Promise<number | null>((resolve) => {
    git.on('error', (error) => {
      failure = error
      resolve(null)
    })
    git.on('close', resolve)
  })
  let stderr = ''
  git.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 2000) stderr += chunk.toString('utf8')
  })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    git.kill('SIGKILL')
  }, limits.timeLimitMs)

  const shownFiles = new ShownFiles(root, rules)
  const reader = new MatchReader(limits.maxLineChars * 4)
  const lines: string[] = []
  let cutLines = 0
  let more = false
  try {
    reading: for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
      for (const match of reader.read(chunk)) {
        if (!(await shownFiles.shown(match.file))) continue
        if (lines.length === limits.maxMatches) {
          more = true
          break reading
        }
        let text = match.text.replace(/\r$/, '')
        if (match.cut || text.length > limits.maxLineChars) {
          text = `${text.slice(0, limits.maxLineChars)}…`
          cutLines++
        }
        lines.push(`${printable(match.file)}:${match.line}: ${text}`)
      }
    }
  } finally {
    clearTimeout(timer)
    git.kill('SIGKILL')
  }
  const code = await exited
  if (failure) throw new SearchError(`git is needed to search file contents and could not be run: ${failure.message}`)
  // 0: matches, 1: none; anything else is git refusing the pattern or the repository.
  if (!timedOut && !more && code !== 0 && code !== 1) {
    const hint = request.literal
      ? ''
      : ' Patterns are POSIX extended regular expressions (no \\d, lookaround or lazy quantifiers: use [0-9], and pass literal: true to search for text as it is).'
    throw new SearchError(`The search failed: ${stderr.trim() || `git stopped with code ${code}`}.${hint}`)
  }
  return answer(lines, { more, cutLines, timedOut }, limits)
}

function answer(
  lines: string[],
  { more, cutLines, timedOut }: { more: boolean; cutLines: number; timedOut: boolean },
  limits: SearchLimits
): string {
  const notes: string[] = []
  if (timedOut) {
    notes.push(
      `The search stopped after ${limits.timeLimitMs / 1000} s, before it had looked through every file: ${lines.length ? 'these are the matches found by then' : 'no match was found by then'}. A simpler pattern, literal: true or a narrower glob finishes sooner.`
    )
  } else if (lines.length === 0) {
    return 'No matches.'
  }
  if (more)
    notes.push(`Only the first ${limits.maxMatches} matches are shown: narrow the pattern or the glob to see others.`)
  if (cutLines) notes.push(`${cutLines} of the lines were cut after ${limits.maxLineChars} characters (ending in …).`)
  return [...lines, ...(notes.length ? [`[${notes.join(' ')}]`] : [])].join('\n')
}
