/**
 * The reviewer's search of file contents, within what it may read: the repository's files (a
 * commit's, or the tracked files of the developer's working tree), never one the rules hide, never
 * a symbolic link, never through one. The pattern is the pull request's to steer: `git grep` matches
 * it (POSIX expressions, no back-references, so no exponential backtracking), patterns that are
 * costly to compile are refused, and a time limit ends whatever still runs too long.
 */
import { spawn } from 'node:child_process'
import { gitArguments, gitEnvironment } from './git.js'
import { fetchBlobs, presentObjects } from './partial.js'
import { globDirectory, globMatcher, pathspecs } from './paths.js'
import { refuseCostlyPattern, type SearchRequest } from './request.js'
import { hiddenReason } from './rules.js'
import { isRegularFile } from './content.js'
import { ToolError } from './tool-error.js'
import { NO_REPOSITORY, type Workspace } from './workspace.js'

export interface SearchLimits {
  maxMatches: number
  maxLineChars: number
  timeLimitMs: number
  /** In a blobless or sparse clone: blobs a search may fetch, in one fetch, and how long that may take. */
  maxFetchedBlobs: number
  fetchTimeLimitMs: number
}

export const SEARCH_LIMITS: SearchLimits = {
  maxMatches: 100,
  maxLineChars: 200,
  timeLimitMs: 20_000,
  maxFetchedBlobs: 1000,
  fetchTimeLimitMs: 60_000
}

/** Longer paths are none a file system holds: cut, they match no file and are dropped. */
const MAX_PATH_BYTES = 4096

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

/**
 * Which files' lines are shown: those the rules let the reviewer read, among the repository's own that
 * git searched (`git grep` of a commit passes over its links); a working tree's file must still be a
 * regular one, reached through no link.
 */
class ShownFiles {
  private readonly answers = new Map<string, Promise<boolean>>()

  constructor(
    /** The working tree, when the search was of one. */
    private readonly root: string | undefined
  ) {}

  shown(file: string): Promise<boolean> {
    let answer = this.answers.get(file)
    if (answer === undefined) {
      const readable = hiddenReason(file) === undefined
      answer = readable && this.root !== undefined ? isRegularFile(this.root, file) : Promise.resolve(readable)
      this.answers.set(file, answer)
    }
    return answer
  }
}

/** A file name may hold a line break: escaped, it cannot pass for a line of the answer. */
function printable(file: string): string {
  // eslint-disable-next-line no-control-regex
  return file.replace(/[\x00-\x1f\x7f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** `git grep`'s arguments: of `commit`'s files, or of the working tree's tracked ones when undefined. */
function grepArguments(request: SearchRequest, commit: string | undefined, files: string[]): string[] {
  return [
    'grep',
    '--null',
    '--line-number',
    '--no-column',
    '--no-color',
    '--no-textconv',
    // Binary files: their "lines" are noise.
    '-I',
    request.literal ? '--fixed-strings' : '--extended-regexp',
    ...(request.ignoreCase ? ['--ignore-case'] : []),
    '-e',
    request.pattern,
    ...(commit ? [commit] : []),
    '--',
    ...files
  ]
}

const count = (value: number) => value.toLocaleString('en-US')

/**
 * In a blobless or sparse clone, fetches the blobs the search needs and does not have, in one fetch;
 * refuses a search that would need more of them than the limits allow.
 */
async function fetchWhatTheSearchNeeds(
  workspace: Workspace,
  request: SearchRequest,
  limits: SearchLimits
): Promise<void> {
  const { repository, source } = workspace
  const remote = await workspace.partialCloneRemote()
  if (remote === undefined || repository === undefined || source.kind !== 'commit') return
  const directory = request.glob ? globDirectory(request.glob) : ''
  const scope = await workspace.files().files(directory)
  if (scope.size === 0) return
  const present = await presentObjects(repository)
  const inGlob = request.glob ? globMatcher(request.glob) : () => true
  const needed = new Set<string>()
  for (const [file, entry] of scope) {
    if (entry.kind !== 'file' || present.has(entry.object) || !inGlob(file) || hiddenReason(file)) continue
    needed.add(entry.object)
    if (needed.size > limits.maxFetchedBlobs) {
      throw new ToolError(
        `This checkout holds only part of the repository's files (a blobless or sparse clone): more than ${count(limits.maxFetchedBlobs)} of the files this search covers are not on the runner, more than a search fetches. Narrow the glob (to the directories of the changed files, say), or read a file by its path with workspace_read, which fetches it.`
      )
    }
  }
  if (needed.size === 0) return
  await fetchBlobs(repository, remote, [...needed], limits.fetchTimeLimitMs).catch((error: unknown) => {
    throw new ToolError(
      `The ${count(needed.size)} files this search covers that are not on the runner (a blobless or sparse clone) could not be fetched: ${error instanceof Error ? error.message : String(error)}`
    )
  })
}

/**
 * Searches the repository's files for `request`, answering one `path:line: text` line per match
 * (paths relative to its root), at most `limits.maxMatches` of them, each text cut to
 * `limits.maxLineChars`, then one line saying what was left out; `No matches.` when none.
 * Throws a ToolError for a pattern or glob it refuses, or when git fails.
 */
export async function searchFiles(
  workspace: Workspace,
  request: SearchRequest,
  limits: SearchLimits = SEARCH_LIMITS
): Promise<string> {
  refuseCostlyPattern(request)
  const files = pathspecs(request.glob)
  const { source, repository } = workspace
  if (repository === undefined || source.kind === 'none') throw new ToolError(NO_REPOSITORY)
  await fetchWhatTheSearchNeeds(workspace, request, limits)
  const commit = source.kind === 'commit' ? source.commit : undefined
  const git = spawn('git', gitArguments(repository, grepArguments(request, commit, files)), {
    cwd: repository.workTree,
    env: gitEnvironment(process.env, repository),
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

  const shownFiles = new ShownFiles(source.kind === 'working-tree' ? source.root : undefined)
  // A commit's matches are named `<commit>:<path>`.
  const prefix = commit ? `${commit}:` : ''
  const reader = new MatchReader(limits.maxLineChars * 4)
  const lines: string[] = []
  let cutLines = 0
  let more = false
  try {
    reading: for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
      for (const match of reader.read(chunk)) {
        const file = match.file.startsWith(prefix) ? match.file.slice(prefix.length) : match.file
        if (!(await shownFiles.shown(file))) continue
        if (lines.length === limits.maxMatches) {
          more = true
          break reading
        }
        let text = match.text.replace(/\r$/, '')
        if (match.cut || text.length > limits.maxLineChars) {
          text = `${text.slice(0, limits.maxLineChars)}…`
          cutLines++
        }
        lines.push(`${printable(file)}:${match.line}: ${text}`)
      }
    }
  } finally {
    clearTimeout(timer)
    git.kill('SIGKILL')
  }
  const code = await exited
  if (failure) throw new ToolError(`git is needed to search file contents and could not be run: ${failure.message}`)
  // 0: matches, 1: none; anything else is git refusing the pattern or the repository.
  if (!timedOut && !more && code !== 0 && code !== 1) {
    const hint = request.literal
      ? ''
      : ' Patterns are POSIX extended regular expressions (no \\d, lookaround or lazy quantifiers: use [0-9], and pass literal: true to search for text as it is).'
    throw new ToolError(`The search failed: ${stderr.trim() || `git stopped with code ${code}`}.${hint}`)
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
