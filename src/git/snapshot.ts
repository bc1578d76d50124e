import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { ActionError } from '../errors.js'
import { counted, type Logger } from '../logger.js'
import { escapingAmong } from '../opencode/workspace-links.js'

/**
 * The folder the reviewer reads: the files git tracks at the reviewed commit, written out of git's
 * object store into a folder of the runner's temp. Never the checkout itself: it holds `.git/`
 * (where actions/checkout keeps the token), untracked files the workflow's steps made, and the
 * pull request's own OpenCode project files, which OpenCode would load (a plugin runs at boot).
 *
 * Blobs are written as they are stored: no smudge filter, no attribute the pull request's
 * `.gitattributes` names (`export-ignore`, a filter driver) applies, as it would through `git archive`
 * or `git checkout-index`.
 */

const execGit = promisify(execFile)

/**
 * Files that configure or instruct an agent: the repository's conventions reach the model from the
 * base branch instead. OpenCode 1.18.33 also takes `CONTEXT.md` for instructions.
 */
const AGENT_DIRECTORIES = new Set(['.opencode', '.claude'])
const AGENT_FILES = new Set(['opencode.json', 'opencode.jsonc', 'AGENTS.md', 'CLAUDE.md', 'CONTEXT.md'])
/** Larger files say nothing the read tool could show whole; they only cost time and disk. */
export const SNAPSHOT_MAX_FILE_BYTES = 5 * 1024 * 1024

const FILE = '100644'
const EXECUTABLE = '100755'
const LINK = '120000'

/** Why a tracked path stays out of the snapshot; undefined when it goes in. */
export function leftOutOfSnapshot(file: string): 'agent' | 'secret' | undefined {
  const parts = file.split('/')
  const name = parts[parts.length - 1]
  if (parts.some((part) => AGENT_DIRECTORIES.has(part)) || AGENT_FILES.has(name)) return 'agent'
  // The read rules deny these too (see READ_ONLY_PERMISSION); out of the folder, no tool can reach them.
  if ((name === '.env' || name.startsWith('.env.')) && name !== '.env.example') return 'secret'
  return undefined
}

export interface Snapshot {
  dir: string
  /** The full commit written. */
  commit: string
  files: number
  /** Tracked paths not written: agent files, secrets, links that lead out, files over the size limit. */
  leftOut: { agent: string[]; secret: string[]; links: string[]; large: string[] }
}

interface TreeEntry {
  mode: string
  object: string
  size: number
  path: string
}

/** `git ls-tree -r -l -z`: `<mode> <type> <object> <size>\t<path>`, submodules (size `-`) skipped. */
function parseTree(listing: string): TreeEntry[] {
  const entries: TreeEntry[] = []
  for (const record of listing.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+) +(\d+)\t(.+)$/s.exec(record)
    if (match) entries.push({ mode: match[1], object: match[2], size: Number(match[3]), path: match[4] })
  }
  return entries
}

/** Streams every object's content out of one `git cat-file --batch`, in the order asked. */
async function readObjects(
  checkout: string,
  objects: string[],
  onObject: (index: number, content: Buffer) => void
): Promise<void> {
  const child = spawn('git', ['-C', checkout, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  })
  child.stdin.on('error', () => undefined)
  child.stdin.end(objects.map((object) => `${object}\n`).join(''))
  let pending: Buffer = Buffer.alloc(0)
  let index = 0
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
    for (;;) {
      const headerEnd = pending.indexOf(10)
      if (headerEnd < 0) break
      const size = Number(pending.toString('latin1', 0, headerEnd).split(' ')[2])
      if (!Number.isInteger(size))
        throw new ActionError(`git cat-file answered '${pending.toString('latin1', 0, headerEnd)}'`)
      const end = headerEnd + 1 + size
      if (pending.length < end + 1) break
      onObject(index++, pending.subarray(headerEnd + 1, end))
      pending = pending.subarray(end + 1)
    }
  }
  const code = await exited
  if (code !== 0 || index !== objects.length)
    throw new ActionError(`Could not read the reviewed files out of git (cat-file exited ${code}): ${stderr.trim()}`)
}

/** The commit `revision` names in `checkout`, or undefined when there is no repository or no such commit. */
export async function resolveCommit(checkout: string, revision: string): Promise<string | undefined> {
  return execGit('git', ['-C', checkout, 'rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).then(
    ({ stdout }) => stdout.trim(),
    () => undefined
  )
}

/**
 * Writes the snapshot of `commit` in the repository at `checkout` into `dir` (created, must not exist).
 * Links are written as links, then those that lead out of the snapshot are taken away again.
 */
export async function writeSnapshot(checkout: string, commit: string, dir: string, log: Logger): Promise<Snapshot> {
  const { stdout } = await execGit('git', ['-C', checkout, 'ls-tree', '-r', '-l', '-z', '--full-tree', commit], {
    maxBuffer: 1024 * 1024 * 1024
  })
  const leftOut: Snapshot['leftOut'] = { agent: [], secret: [], links: [], large: [] }
  const written: TreeEntry[] = []
  for (const entry of parseTree(stdout)) {
    const reason = leftOutOfSnapshot(entry.path)
    if (reason) leftOut[reason].push(entry.path)
    else if (entry.size > SNAPSHOT_MAX_FILE_BYTES) leftOut.large.push(entry.path)
    else if ([FILE, EXECUTABLE, LINK].includes(entry.mode)) written.push(entry)
  }
  mkdirSync(dir, { recursive: true })
  // Link targets are compared with real paths.
  dir = realpathSync(dir)
  const directories = new Set(written.map((entry) => path.dirname(entry.path)).filter((parent) => parent !== '.'))
  // Parents before children: sorted, each made once.
  for (const directory of [...directories].sort()) mkdirSync(path.join(dir, directory), { recursive: true })
  const links: string[] = []
  // Synchronous writes: for many small files they cost a fraction of a round trip through libuv's thread pool.
  await readObjects(
    checkout,
    written.map((entry) => entry.object),
    (index, content) => {
      const entry = written[index]
      const target = path.join(dir, entry.path)
      if (entry.mode !== LINK)
        return writeFileSync(target, content, { mode: entry.mode === EXECUTABLE ? 0o755 : 0o644 })
      symlinkSync(content.toString('utf8'), target)
      links.push(target)
    }
  )
  // A dangling link reads nothing today, but could lead anywhere once its target appears.
  const dangling = links.filter((link) => !existsSync(link)).map((link) => path.relative(dir, link))
  for (const link of [...new Set([...dangling, ...(await escapingAmong(dir, links))])].sort()) {
    rmSync(path.join(dir, link), { force: true })
    leftOut.links.push(link)
  }
  logLeftOut(leftOut, log)
  return { dir, commit, files: written.length - leftOut.links.length, leftOut }
}

function logLeftOut(leftOut: Snapshot['leftOut'], log: Logger): void {
  const said = (paths: string[]) =>
    paths.slice(0, 10).join(', ') + (paths.length > 10 ? ` and ${paths.length - 10} more` : '')
  if (leftOut.agent.length)
    log.info(`Left out of the reviewer's files (agent configuration, reviewed as diff only): ${said(leftOut.agent)}`)
  if (leftOut.secret.length) log.info(`Left out of the reviewer's files (secrets): ${said(leftOut.secret)}`)
  if (leftOut.links.length)
    log.warning(
      `Left out of the reviewer's files: links that lead out of the repository or nowhere: ${said(leftOut.links)}`
    )
  if (leftOut.large.length)
    log.info(
      `Left out of the reviewer's files (over ${SNAPSHOT_MAX_FILE_BYTES / 1024 / 1024} MB): ${said(leftOut.large)}`
    )
}

/** Where the reviewed files come from: a commit of a local repository. */
export interface SnapshotSource {
  checkout: string
  revision: string
  /** A ref of `origin` that holds `revision`, fetched when the checkout lacks it. */
  fetch?: string
}

/**
 * Writes the snapshot of `source` into `dir` and returns `dir`. A workspace that is no git checkout
 * (a workflow without actions/checkout) gives an empty folder: the reviewer has the diff alone.
 */
export async function snapshotReviewedFiles(source: SnapshotSource, dir: string, log: Logger): Promise<string> {
  const { checkout, revision } = source
  let commit = await resolveCommit(checkout, revision)
  if (commit === undefined && source.fetch && (await resolveCommit(checkout, 'HEAD'))) {
    log.info(`Fetching ${source.fetch} from origin: the clone lacks ${revision.slice(0, 7)}.`)
    await execGit('git', ['-C', checkout, 'fetch', '--no-tags', '--quiet', 'origin', source.fetch]).catch(
      (error: Error) => {
        throw new ActionError(
          `The pull request's head ${revision.slice(0, 7)} is not in ${checkout}, and \`git fetch origin ${source.fetch}\` failed (${error.message.trim()}). Run the command in a clone of the pull request's repository.`
        )
      }
    )
    commit = await resolveCommit(checkout, revision)
    if (commit === undefined) {
      throw new ActionError(
        `\`git fetch origin ${source.fetch}\` did not bring the pull request's head ${revision.slice(0, 7)} into ${checkout}: its origin is not the pull request's repository, or the pull request moved on. Fetch it, or run the command in a clone of the pull request's repository.`
      )
    }
  }
  if (commit === undefined) {
    log.warning(
      `${checkout} is not a git checkout of the reviewed commit: the reviewer has the diff alone. Check the repository out (actions/checkout) before this step to let it read the code around the changes.`
    )
    mkdirSync(dir, { recursive: true })
    return dir
  }
  const snapshot = await writeSnapshot(checkout, commit, dir, log)
  log.info(
    `The reviewer reads ${counted(snapshot.files, 'file')} of ${commit.slice(0, 7)}, copied out of git (no .git, no untracked file).`
  )
  return snapshot.dir
}
