/**
 * The `workspace` section of `npm run bench`: the reviewer's reach into the repository (src/workspace/,
 * the tools OpenCode starts, and src/opencode/project-root.ts). On commits of 1,000 and 200,000 files
 * (ten to a directory):
 *
 * - from a finished checkout to a reviewer ready to read (the commit resolved, OpenCode booted in its
 *   empty project root until healthy, then the workspace's server started and its first read answered),
 *   against booting OpenCode alone in an empty folder;
 * - the disk the run's directory takes once the reads are done;
 * - each tool's time, the first call (which lists the tree) and the next;
 * - in a blobless clone (`--filter=blob:none`, the head not checked out, as `--pr` reads a fetched head),
 *   the blobs fetched by the boot, by reads and by searches, and `git grep <commit>` there (on 1,000 files:
 *   it fetches one blob per fetch).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { OPENCODE_BIN_DIR, ROOT } from '../__fixtures__/runner.js'
import { DEFAULTS } from '../src/defaults.js'
import { resolveReviewedCommit } from '../src/git/reviewed-commit.js'
import { buildOpencodeConfig, serverEnvironment } from '../src/opencode/config.js'
import { createOpencodeHome, removeOpencodeHome } from '../src/opencode/home.js'
import { emptyProjectRoot } from '../src/opencode/project-root.js'
import { type OpencodeServer, startServer } from '../src/opencode/server.js'
import type { WorkspaceSource } from '../src/workspace/source.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const SIZES = [1000, 200_000]
const quiet = {
  debug() {},
  info() {},
  notice() {},
  warning() {},
  mask() {},
  group: <T>(_: string, work: () => Promise<T>) => work()
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const size = (files: number) => files.toLocaleString('en-US')
const git = (cwd: string, ...args: string[]) =>
  // No repack in the background: it would compete with what is timed, and hold the folders being removed.
  execFileSync('git', ['-C', cwd, '-c', 'gc.auto=0', '-c', 'user.name=b', '-c', 'user.email=b@example.com', ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024
  }).trim()

/** A repository whose one commit holds `files` files, ten to a directory; returns its folder. */
function makeRepository(files: number): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-workspace-'))
  for (let file = 0; file < files; file++) {
    const leaf = Math.floor(file / 10)
    const directory = path.join(root, `pkg${leaf % 20}`, `area${Math.floor(leaf / 20) % 10}`, `mod${leaf}`)
    if (file % 10 === 0) mkdirSync(directory, { recursive: true })
    writeFileSync(path.join(directory, `file${file % 10}.ts`), `export const value = ${file}\n`)
  }
  git(root, 'init', '-q')
  git(root, 'add', '-A')
  git(root, 'commit', '-qm', 'tree')
  return root
}

/** The workspace's server as OpenCode starts it, from the bundle, with an MCP client of its own. */
async function workspaceClient(source: WorkspaceSource, cwd: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1.0.0' })
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(ROOT, 'dist/workspace/index.js'), JSON.stringify(source)],
      cwd,
      stderr: 'ignore'
    })
  )
  return client
}

async function call(client: Client, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name: tool, arguments: args })) as {
    content: Array<{ text: string }>
    isError?: boolean
  }
  const text = result.content.map((part) => part.text).join('')
  if (result.isError) throw new Error(`${tool} answered: ${text}`)
  return text
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const result = await work()
  return [performance.now() - started, result]
}

const disk = (dir: string) => Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024

/** The server the action boots, minus finding the binary (the same either way): in `cwd`, with `config`. */
function boot(runDir: string, cwd: string, config: string): Promise<OpencodeServer> {
  const home = createOpencodeHome(runDir, DEFAULTS['opencode-version'])
  return startServer({
    binary: path.join(OPENCODE_BIN_DIR, 'opencode'),
    cwd,
    env: {
      ...(process.env as Record<string, string>),
      ...serverEnvironment({ pullRequest: true, ownOpencode: false }),
      ...home.environment
    },
    config,
    startupTimeoutMs: 60_000,
    log: quiet
  })
}

/** Boots OpenCode alone, in an empty folder, with no workspace server; milliseconds until it is healthy. */
async function openCodeAlone(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-alone-'))
  const [ms, server] = await timed(() => boot(dir, dir, JSON.stringify({ share: 'disabled', autoupdate: false })))
  await server.stop()
  removeOpencodeHome(dir)
  return ms
}

interface Ready {
  resolve: number
  boot: number
  firstRead: number
  total: number
  diskMb: number
}

/** The config the action boots with, its workspace server the bundle's (dist/workspace/index.js). */
function reviewerConfig(source: WorkspaceSource): string {
  const config = JSON.parse(
    buildOpencodeConfig({ config: {}, model: undefined, agent: undefined, allowAgentTools: false }, source).config
  )
  config.mcp.workspace.command[1] = path.join(ROOT, 'dist/workspace/index.js')
  return JSON.stringify(config)
}

/** From the finished checkout `root` to a reviewer's first read answered, as the action does it; then `reads` reads in all. */
async function reviewerReady(root: string, reads = 10): Promise<Ready> {
  const runDir = mkdtempSync(path.join(tmpdir(), 'bench-run-'))
  const started = performance.now()
  const commit = await resolveReviewedCommit({ checkout: root, revision: 'HEAD' }, quiet)
  if (!commit) throw new Error(`${root} holds no commit`)
  const resolved = performance.now()
  const source: WorkspaceSource = { kind: 'commit', ...commit }
  const server = await boot(runDir, await emptyProjectRoot(runDir), reviewerConfig(source))
  const healthy = performance.now()
  const client = await workspaceClient(source, path.join(runDir, 'workspace'))
  const answer = await call(client, 'read', { path: 'pkg0/area0/mod0/file0.ts' })
  const read = performance.now()
  if (!answer.startsWith('1: export const value = 0')) throw new Error(`the read answered ${answer}`)
  for (let file = 1; file < reads; file++) await call(client, 'read', { path: `pkg0/area0/mod0/file${file}.ts` })
  await client.close()
  const diskMb = disk(runDir)
  await server.stop()
  rmSync(runDir, { recursive: true, force: true })
  return {
    resolve: resolved - started,
    boot: healthy - resolved,
    firstRead: read - healthy,
    total: read - started,
    diskMb
  }
}

/** Each tool's first call (which lists the tree) and the median of the next RUNS calls, in ms. */
async function toolTimes(client: Client): Promise<string> {
  const calls: Array<[string, string, Record<string, unknown>]> = [
    ['read', 'read', { path: 'pkg3/area1/mod23/file3.ts' }],
    ['list', 'list', { path: 'pkg3/area1' }],
    ['glob in a folder', 'glob', { pattern: 'pkg3/area1/**/file3.ts' }],
    // Lists the whole tree the first time, kept for the next.
    ['glob of every folder', 'glob', { pattern: '**/file3.ts' }],
    ['search, one match', 'search', { pattern: 'value = 0$' }],
    ['search, every file (capped at 100)', 'search', { pattern: 'export', literal: true }]
  ]
  const figures: string[] = []
  for (const [label, tool, args] of calls) {
    const times: number[] = []
    for (let run = 0; run <= RUNS; run++) times.push((await timed(() => call(client, tool, args)))[0])
    figures.push(`${label} ${times[0].toFixed(0)} / ${median(times.slice(1)).toFixed(0)} ms`)
  }
  return figures.join(', ')
}

const packs = (gitDir: string) =>
  readdirSync(path.join(gitDir, 'objects/pack')).filter((file) => file.endsWith('.pack')).length
const missing = (clone: string, commit: string) =>
  git(clone, 'rev-list', '--objects', '--no-walk', '--missing=print', commit)
    .split('\n')
    .filter((line) => line.startsWith('?')).length

/** A blobless clone of `origin`: the blobs a reviewer's boot, reads and searches fetch. */
async function blobless(origin: string, files: number): Promise<string> {
  git(origin, 'config', 'uploadpack.allowFilter', 'true')
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-blobless-'))
  const clone = path.join(dir, 'clone')
  execFileSync('git', ['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin}`, clone])
  const commit = git(clone, 'rev-parse', 'HEAD')
  const gitDir = path.join(clone, '.git')
  const at = () => ({ fetches: packs(gitDir), missing: missing(clone, commit) })
  const start = at()
  const ready = await reviewerReady(clone, 1)
  const afterBoot = at()
  const client = await workspaceClient({ kind: 'commit', gitDir, commit }, dir)
  for (const file of [1, 2, 3]) await call(client, 'read', { path: `pkg${file}/area0/mod${file}/file${file}.ts` })
  const afterReads = at()
  const scope = 'pkg5/area2/**'
  const [searchMs, found] = await timed(() => call(client, 'search', { pattern: 'value', glob: scope }))
  const afterSearch = at()
  const [refusedMs, refusal] = await timed(() =>
    call(client, 'search', { pattern: 'value = 7$' }).catch((error: Error) => error.message)
  )
  await client.close()
  rmSync(dir, { recursive: true, force: true })
  const blobs = (before: { missing: number }, after: { missing: number }) => before.missing - after.missing
  const fetches = (before: { fetches: number }, after: { fetches: number }) => after.fetches - before.fetches
  return [
    `blobless clone of ${size(files)} files (--filter=blob:none, head not checked out): reviewer ready to read in ${seconds(ready.total)}, ${blobs(start, afterBoot)} blobs fetched by then (the first read included)`,
    `3 reads: ${blobs(afterBoot, afterReads)} blobs in ${fetches(afterBoot, afterReads)} fetches`,
    `a search of ${scope} (${found.split('\n').length} matches): ${blobs(afterReads, afterSearch)} blobs in ${fetches(afterReads, afterSearch)} fetch, ${searchMs.toFixed(0)} ms`,
    `a search of every file: ${/not on the runner/.test(refusal) ? 'refused' : 'answered'} in ${refusedMs.toFixed(0)} ms (${refusal.slice(0, 140)}…)`
  ].join('; ')
}

/** The control: `git grep <commit>` in a blobless clone of `files` files, fetching as it reads. */
function grepInBlobless(origin: string, files: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-grep-'))
  const clone = path.join(dir, 'clone')
  execFileSync('git', ['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin}`, clone])
  const before = packs(path.join(clone, '.git'))
  const started = performance.now()
  execFileSync('git', ['-C', clone, '-c', 'gc.auto=0', 'grep', '-c', 'export', 'HEAD'], { stdio: 'ignore' })
  const took = performance.now() - started
  const fetched = packs(path.join(clone, '.git')) - before
  rmSync(dir, { recursive: true, force: true })
  return `the control, \`git grep <commit>\` in a blobless clone of ${size(files)} files: ${fetched} fetches, ${seconds(took)}`
}

export async function workspaceCost(): Promise<void> {
  for (const files of SIZES) {
    const building = performance.now()
    const root = makeRepository(files)
    const built = seconds(performance.now() - building)
    // Taken in turns, so that both see the machine as loaded.
    const alone: number[] = []
    const ready: Ready[] = []
    for (let run = 0; run < RUNS; run++) {
      alone.push(await openCodeAlone())
      ready.push(await reviewerReady(root))
    }
    const pick = (key: keyof Ready) => median(ready.map((figures) => figures[key]))
    const more = pick('total') - median(alone)
    console.log(
      `reviewer ready to read, ${size(files)} files (built in ${built}), median of ${RUNS}: ${seconds(pick('total'))} (commit resolved ${pick('resolve').toFixed(0)} ms, OpenCode healthy ${seconds(pick('boot'))}, first read ${pick('firstRead').toFixed(0)} ms); OpenCode alone ${seconds(median(alone))}: ${more >= 0 ? '+' : ''}${seconds(more)} [≤ 1 s]; the run's directory after 10 reads: ${pick('diskMb').toFixed(1)} MB`
    )
    const commit = git(root, 'rev-parse', 'HEAD')
    const client = await workspaceClient({ kind: 'commit', gitDir: path.join(root, '.git'), commit }, tmpdir())
    console.log(
      `workspace tools, ${size(files)} files, first call / median of the next ${RUNS}: ${await toolTimes(client)}`
    )
    await client.close()
    console.log(await blobless(root, files))
    if (files === SIZES[0]) console.log(grepInBlobless(root, files))
    rmSync(root, { recursive: true, force: true })
  }
}
