/**
 * The scan for links that lead out of the workspace (src/opencode/workspace-links.ts), on the critical path
 * before the server boots: git checkouts of 1,000 and 200,000 tracked files, ten to a directory, with links
 * out, into .git/ and inside. Each is built once (200,000 files and `git add` take a while), then scanned
 * as the action does (the index read), and walked as a workspace without an index would be.
 * The reviewer's search (src/search/search.ts) is timed on the same trees: its tracked files, and the
 * folder without `.git` as the snapshot the server serves.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { READ_ONLY_PERMISSION } from '../src/opencode/config.js'
import { escapingLinks } from '../src/opencode/workspace-links.js'
import { parseReadRules } from '../src/search/read-rules.js'
import { SEARCH_LIMITS, searchWorkspace } from '../src/search/search.js'

const SCANS = Number(process.env.BENCH_RUNS ?? 7)
const ESCAPING = ['pkg0/into-git', 'pkg0/out']

/** A git checkout of `files` tracked files (staged, not committed), ten to a directory, with links out, into .git/ and inside. */
export function makeCheckout(files: number): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-links-'))
  for (let file = 0; file < files; file++) {
    const leaf = Math.floor(file / 10)
    const directory = path.join(root, `pkg${leaf % 20}`, `area${Math.floor(leaf / 20) % 10}`, `mod${leaf}`)
    if (file % 10 === 0) mkdirSync(directory, { recursive: true })
    writeFileSync(path.join(directory, `file${file % 10}.ts`), `export const value = ${file}\n`)
  }
  symlinkSync('/etc', path.join(root, 'pkg0/out'))
  symlinkSync('../.git/config', path.join(root, 'pkg0/into-git'))
  symlinkSync('area0', path.join(root, 'pkg0/inside'))
  execFileSync('git', ['init', '-q', root])
  execFileSync('git', ['-C', root, 'add', '-A'])
  return root
}

/** Milliseconds of each of SCANS scans, after checking that the scan finds the links it should. */
async function timeScans(root: string): Promise<number[]> {
  const times: number[] = []
  for (let scan = 0; scan < SCANS; scan++) {
    const started = performance.now()
    const found = await escapingLinks(root, 'tracked')
    times.push(performance.now() - started)
    if (found.join() !== ESCAPING.join()) throw new Error(`the scan found ${found.join(', ')}`)
  }
  return times
}

const SEARCH_RULES = parseReadRules(JSON.stringify(READ_ONLY_PERMISSION.read))
/** One match (file 0's, in a search of every file), and one that matches every file, cut at the first 100. */
const SEARCHES = [
  { name: 'one match', request: { pattern: 'value = 0$' } },
  { name: 'every file, capped', request: { pattern: 'export', literal: true } }
]

/** Milliseconds of each of SCANS runs of each search, after checking that it finds what it should. */
async function timeSearches(root: string): Promise<string> {
  const figures: string[] = []
  for (const { name, request } of SEARCHES) {
    const times: number[] = []
    for (let scan = 0; scan < SCANS; scan++) {
      const started = performance.now()
      // Timed to the end: the search's own limit would cut it short on a loaded machine.
      const answer = await searchWorkspace(root, SEARCH_RULES, request, { ...SEARCH_LIMITS, timeLimitMs: 600_000 })
      times.push(performance.now() - started)
      if (answer === 'No matches.' || answer.includes('search stopped'))
        throw new Error(`the search answered ${answer}`)
    }
    figures.push(`${name} ${summary(times)}`)
  }
  return figures.join('; ')
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b)
  return `first ${times[0].toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`
}

export async function workspaceScan(): Promise<void> {
  for (const files of [1000, 200_000]) {
    const building = performance.now()
    const root = makeCheckout(files)
    const built = ((performance.now() - building) / 1000).toFixed(1)
    const indexed = await timeScans(root)
    const searchedTracked = await timeSearches(root)
    // Without an index the same tree is walked, as a workspace that is not a git checkout would be.
    renameSync(path.join(root, '.git/index'), path.join(root, '.git/index.hidden'))
    const walked = await timeScans(root)
    // Without .git the search looks through the folder's files, as it does in the snapshot.
    rmSync(path.join(root, '.git'), { recursive: true, force: true })
    const searchedFolder = await timeSearches(root)
    rmSync(root, { recursive: true, force: true })
    const size = files.toLocaleString('en-US')
    console.log(
      `workspace link scan, ${size} tracked files (built in ${built} s), ${SCANS} scans: index ${summary(indexed)}; walk ${summary(walked)}`
    )
    console.log(`workspace search, ${size} files, ${SCANS} runs each: git-tracked: ${searchedTracked}`)
    console.log(`workspace search, ${size} files, ${SCANS} runs each: folder without .git: ${searchedFolder}`)
  }
}
