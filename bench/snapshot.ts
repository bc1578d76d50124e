/**
 * The reviewer's snapshot (src/git/snapshot.ts): the tracked files of the reviewed commit written out of
 * git before the server boots, overlapping the pull request's reads. Timed on commits of 1,000 and
 * 200,000 files (the link scan's trees), with the disk it takes.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { writeSnapshot } from '../src/git/snapshot.js'
import { makeCheckout } from './workspace-scan.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const quiet = {
  debug() {},
  info() {},
  notice() {},
  warning() {},
  mask() {},
  group: <T>(_: string, work: () => Promise<T>) => work()
}

export async function snapshotCost(): Promise<void> {
  for (const files of [1000, 200_000]) {
    const root = makeCheckout(files)
    execFileSync('git', ['-C', root, '-c', 'user.name=b', '-c', 'user.email=b@example.com', 'commit', '-qm', 'tree'])
    const times: number[] = []
    let disk = ''
    for (let run = 0; run < RUNS; run++) {
      const into = path.join(mkdtempSync(path.join(tmpdir(), 'bench-snapshot-')), 'workspace')
      const started = performance.now()
      const snapshot = await writeSnapshot(root, 'HEAD', into, quiet)
      times.push(performance.now() - started)
      if (snapshot.files !== files + 1) throw new Error(`the snapshot holds ${snapshot.files} files`)
      disk = execFileSync('du', ['-sh', into], { encoding: 'utf8' }).split('\t')[0]
      rmSync(path.dirname(into), { recursive: true, force: true })
    }
    rmSync(root, { recursive: true, force: true })
    const sorted = [...times].sort((a, b) => a - b)
    console.log(
      `snapshot of the reviewed commit, ${files.toLocaleString('en-US')} files, ${RUNS} runs: min ${(sorted[0] / 1000).toFixed(2)} s, median ${(sorted[Math.floor(RUNS / 2)] / 1000).toFixed(2)} s; ${disk} on disk`
    )
  }
}
