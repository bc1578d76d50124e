/**
 * `npm run bench`: prints the figures the README's Measurements section quotes.
 * Figures only, nothing asserted: tests check behaviour, this measures it.
 *
 * 1. overhead: the whole action against the irreducible path (start `opencode serve`,
 *    poll /global/health every 50 ms, create a session, send the same message and answer format), zero-latency model
 * 2. the diff pipeline (parse, filter, split into groups) for 10 to 3,000 files: time, peak heap, groups
 * 3. characters sent to the model per character of diff reviewed (bench/prompt-size.ts)
 * 4. start-up of dist/index.js until it has read its inputs, and the bundle's size
 * 5. the reviewer's reach into the repository: from a finished checkout to a reviewer ready to read against OpenCode
 *    alone, disk, each tool's time, and the blobs a blobless clone fetches, 1,000 and 200,000 files (bench/workspace.ts)
 * 6. parallel speed-up: a 3,000-file pull request, a model that takes 2 s per message, 1 session vs 4
 *
 * BENCH_ONLY=diff,prompt,startup,overhead,workspace,parallel picks sections; BENCH_RUNS sets the runs per median.
 */
import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pullRequestEvent } from '../__fixtures__/events.js'
import { ensureOpencodeBinary } from '../__fixtures__/opencode-binary.js'
import { startFakeGitHub } from '../__fixtures__/fake-github.js'
import { FAKE_MODEL, FAKE_PROVIDER, fakeProviderConfig, startFakeModel } from '../__fixtures__/fake-model.js'
import { OPENCODE_BIN_DIR, prepareJob, readActionMetadata, ROOT, runStep, runtimeNode } from '../__fixtures__/runner.js'
import { DEFAULTS } from '../src/defaults.js'
import { parseDiff } from '../src/diff/parse.js'
import { selectDiff } from '../src/diff/select.js'
import { reviewSchema } from '../src/review/findings.js'
import { groupFiles } from '../src/diff/groups.js'
import { buildOpencodeConfig, serverEnvironment } from '../src/opencode/config.js'
import { promptSize } from './prompt-size.js'
import { syntheticDiff } from './synthetic-diff.js'
import { workspaceCost } from './workspace.js'

ensureOpencodeBinary()

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const ms = (value: number) => `${value.toFixed(0)} ms`

async function overhead(): Promise<void> {
  const model = await startFakeModel()
  // Both paths get the answer the action asks for: the structured review, through OpenCode's tool.
  model.script([], { kind: 'toolCall', tool: 'StructuredOutput', args: { summary: 'Reviewed.', findings: [] } })
  const diff = readFileSync(path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8')
  const github = await startFakeGitHub({
    token: 't',
    pulls: [
      {
        number: 1,
        title: 'Bench',
        body: '',
        headSha: 'b'.repeat(40),
        baseSha: 'a'.repeat(40),
        headRef: 'h',
        baseRef: 'main',
        diff
      }
    ]
  })
  const config = fakeProviderConfig(model.baseURL)
  const action: number[] = []
  const bare: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const job = prepareJob({
      eventName: 'pull_request',
      payload: pullRequestEvent('opened', { number: 1 }),
      apiUrl: github.url,
      inputs: { model: `${FAKE_PROVIDER}/${FAKE_MODEL}`, 'github-token': 't', config: JSON.stringify(config) }
    })
    let started = performance.now()
    const result = await runStep(job)
    if (result.exitCode !== 0) throw new Error(`the action failed: ${result.errors.join('\n')}`)
    action.push(performance.now() - started)

    // The irreducible path: the same server, config and message, nothing else.
    const setup = buildOpencodeConfig({
      config,
      model: { providerID: FAKE_PROVIDER, modelID: FAKE_MODEL },
      agent: undefined,
      allowAgentTools: false
    })
    started = performance.now()
    const port = 20000 + Math.floor(Math.random() * 20000)
    const server = spawn(
      path.join(OPENCODE_BIN_DIR, 'opencode'),
      ['serve', '--hostname', '127.0.0.1', '--port', String(port)],
      {
        cwd: job.workspace,
        env: {
          ...job.env,
          ...serverEnvironment({ pullRequest: true, ownOpencode: false }),
          OPENCODE_CONFIG_CONTENT: setup.config
        },
        stdio: 'ignore'
      }
    )
    const url = `http://127.0.0.1:${port}`
    for (;;) {
      const healthy = await fetch(`${url}/global/health`, { signal: AbortSignal.timeout(500) }).then(
        (response) => response.ok,
        () => false
      )
      if (healthy) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const post = (route: string, body: unknown) =>
      fetch(`${url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      }).then((response) => response.json())
    const session = (await post('/session', { title: 'bench' })) as { id: string }
    const text = String(model.requests.at(-1)?.messages.find((message) => message.role === 'user')?.content ?? 'review')
    await post(`/session/${session.id}/message`, {
      agent: setup.agent,
      model: { providerID: FAKE_PROVIDER, modelID: FAKE_MODEL },
      format: { type: 'json_schema', schema: reviewSchema(DEFAULTS.walkthrough) },
      parts: [{ type: 'text', text }]
    })
    bare.push(performance.now() - started)
    server.kill('SIGKILL')
  }
  await model.close()
  await github.close()
  console.log(
    `overhead (${RUNS} runs, median): action ${ms(median(action))}, irreducible path ${ms(median(bare))}, ratio ${(median(action) / median(bare)).toFixed(2)}`
  )
}

/** With --expose-gc, so each measurement starts from a clean heap. */
const collectGarbage = (globalThis as { gc?: () => void }).gc

/** MB of heap in use above `baseline`. */
const heapAbove = (baseline: number) => (process.memoryUsage().heapUsed - baseline) / 1024 / 1024

function diffPipeline(): void {
  for (const files of [10, 100, 1000, 3000]) {
    const text = syntheticDiff(files)
    collectGarbage?.()
    const baseline = process.memoryUsage().heapUsed
    // Heap sampled after each step, no collection in between: the highest reading stands for the peak.
    const heapReadings: number[] = []
    const started = performance.now()
    const parsed = parseDiff(text)
    heapReadings.push(heapAbove(baseline))
    // No overall budget: every file is kept, and the split is what keeps each review within max-diff-chars.
    const selection = selectDiff(parsed, {
      exclude: [],
      maxChars: Number.POSITIVE_INFINITY,
      maxFileChars: DEFAULTS['max-diff-chars']
    })
    heapReadings.push(heapAbove(baseline))
    const splitStarted = performance.now()
    const groups = groupFiles(selection.files, DEFAULTS['max-diff-chars'])
    const ended = performance.now()
    heapReadings.push(heapAbove(baseline))
    const size = `${files} files (${(files * 50).toLocaleString('en-US')} changed lines, ${(text.length / 1024 / 1024).toFixed(1)} MB)`
    const memory = `peak heap +${Math.max(...heapReadings).toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`
    const time = `${ms(ended - started)} (split ${(ended - splitStarted).toFixed(1)} ms)`
    console.log(
      `diff pipeline, ${size}: ${time}, ${memory}, ${selection.files.length} files in ${groups.length} groups`
    )
  }
}

async function startup(): Promise<void> {
  const times: number[] = []
  // On the Node a runner runs the action with.
  const node = runtimeNode(readActionMetadata().using)
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now()
    // No token: the action stops right after reading its inputs.
    await new Promise((resolve) =>
      spawn(node, [path.join(ROOT, 'dist/index.js')], {
        env: { PATH: process.env.PATH },
        stdio: 'ignore'
      }).on('close', resolve)
    )
    times.push(performance.now() - started)
  }
  console.log(
    `start-up of dist/index.js until its inputs are read (median of ${RUNS}): ${ms(median(times))}; bundle ${(statSync(path.join(ROOT, 'dist/index.js')).size / 1024 / 1024).toFixed(1)} MB`
  )
}

/** The whole action on a 3,000-file pull request whose model answers each message after 2 s: `max-sessions` 1 against 4. */
async function parallelSpeedUp(): Promise<void> {
  const model = await startFakeModel()
  model.delayMs = 2000
  // Each part answers through the structured-output tool; the synthesis, which has no schema, in text.
  model.respond = (request) =>
    request.messages.some((message) => message.role === 'user' && String(message.content).includes('was reviewed in'))
      ? { kind: 'reply', text: 'Merged summary.' }
      : { kind: 'toolCall', tool: 'StructuredOutput', args: { summary: 'Part reviewed.', findings: [] } }
  const files = Array.from({ length: 3000 }, (_, i) => ({
    filename: `pkg-${i % 12}/src/file${i}.ts`,
    status: 'added' as const,
    additions: 8,
    deletions: 0,
    patch: `@@ -0,0 +1,8 @@\n${Array.from({ length: 8 }, (_, line) => `+export const value${line} = compute(${line}, ${i})`).join('\n')}`
  }))
  const github = await startFakeGitHub({
    token: 't',
    pulls: [
      {
        number: 1,
        title: 'Huge',
        body: '',
        headSha: 'b'.repeat(40),
        baseSha: 'a'.repeat(40),
        headRef: 'h',
        baseRef: 'main',
        diff: '',
        diffTooLarge: true,
        files
      }
    ]
  })
  const times: Record<string, number> = {}
  for (const sessions of ['1', '4']) {
    const job = prepareJob({
      eventName: 'pull_request',
      payload: pullRequestEvent('opened', { number: 1 }),
      apiUrl: github.url,
      inputs: {
        model: `${FAKE_PROVIDER}/${FAKE_MODEL}`,
        'github-token': 't',
        config: JSON.stringify(fakeProviderConfig(model.baseURL)),
        'max-sessions': sessions,
        'review-timeout': '600'
      }
    })
    const started = performance.now()
    const result = await runStep(job)
    if (result.exitCode !== 0) throw new Error(`the action failed: ${result.errors.join('\n')}`)
    times[sessions] = performance.now() - started
  }
  const parts = model.requests.length / 2 - 1
  await model.close()
  await github.close()
  console.log(
    `parallel speed-up, 3,000 files in ${parts} parts, model 2 s per message: 1 session ${ms(times['1'])}, 4 sessions ${ms(times['4'])}, speed-up ${(times['1'] / times['4']).toFixed(2)}x`
  )
}

const only = process.env.BENCH_ONLY?.split(',')
const sections: Array<[string, () => unknown]> = [
  ['diff', diffPipeline],
  ['prompt', promptSize],
  ['startup', startup],
  ['overhead', overhead],
  ['workspace', workspaceCost],
  ['parallel', parallelSpeedUp]
]
for (const [name, section] of sections) if (!only || only.includes(name)) await section()
