import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Runs the bundled action as the GitHub runner does: INPUT_* and GITHUB_* variables, an event file, command files. */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ENTRY = path.join(ROOT, 'dist/index.js')
/**
 * The `opencode` binary of the optional dependency `opencode-linux-x64`, put on PATH as a runner
 * with OpenCode installed would have it. Where that package does not apply, the action installs
 * OpenCode from npm itself.
 */
export const OPENCODE_BIN_DIR = path.join(ROOT, 'node_modules', `opencode-${process.platform}-${process.arch}`, 'bin')
/** OpenCode's data and caches, shared by the tests of one run so each boot is warm. */
export const OPENCODE_HOME = path.join(ROOT, '.tmp/e2e-home')

export interface ActionRun {
  exitCode: number | null
  stdout: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** `::error::` messages, as core.setFailed writes them. */
  errors: string[]
  notices: string[]
}

export interface Job {
  /** Where GITHUB_WORKSPACE and the command files live; one per test. */
  dir: string
  workspace: string
  env: Record<string, string>
}

export interface JobOptions {
  eventName: string
  payload: Record<string, unknown>
  inputs: Record<string, string>
  apiUrl: string
  repository?: string
  env?: Record<string, string>
}

/** What a runner's step inherits from its machine (proxy and CA settings, locale), minus what jest or an outer workflow set. */
function machineEnvironment(): Record<string, string> {
  const inherited: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(INPUT_|GITHUB_|RUNNER_|STATE_|ACTIONS_|JEST_)/.test(name) || name === 'NODE_OPTIONS') continue
    inherited[name] = value
  }
  return inherited
}

/** Lays out a job: a workspace with a checked-out-like tree and the runner's files. */
export function prepareJob(options: JobOptions): Job {
  mkdirSync(OPENCODE_HOME, { recursive: true })
  const dir = mkdtempSync(path.join(tmpdir(), 'opencode-review-e2e-'))
  const workspace = path.join(dir, 'workspace')
  for (const sub of ['workspace/.git', 'workspace/src', 'temp', 'tool-cache']) mkdirSync(path.join(dir, sub), { recursive: true })
  // actions/checkout keeps the token in .git/config: the reviewer must never read it.
  writeFileSync(path.join(workspace, '.git/config'), '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic Z2l0aHViLXRva2VuLWluLWdpdC1jb25maWc=\n')
  writeFileSync(path.join(workspace, 'src/app.ts'), 'export const answer = 42\n')
  const eventPath = path.join(dir, 'event.json')
  writeFileSync(eventPath, JSON.stringify(options.payload))
  for (const file of ['output', 'state', 'summary', 'env', 'path']) writeFileSync(path.join(dir, file), '')

  const inputs = Object.fromEntries(Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]))
  const env: Record<string, string> = {
    ...machineEnvironment(),
    PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`,
    HOME: OPENCODE_HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository ?? 'octo-org/octo-repo',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    RUNNER_TEMP: path.join(dir, 'temp'),
    RUNNER_TOOL_CACHE: path.join(dir, 'tool-cache'),
    ...inputs,
    ...options.env
  }
  return { dir, workspace, env }
}

/** Reads a runner command file (`name<<delimiter` blocks, as @actions/core writes them). */
export function readCommandFile(file: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const end = lines.indexOf(match[2], i + 1)
    values[match[1]] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return values
}

function commands(stdout: string, name: string): string[] {
  return [...stdout.matchAll(new RegExp(`^::${name}(?: [^:]*)?::(.*)$`, 'gm'))].map((match) => match[1].replace(/%0A/g, '\n').replace(/%25/g, '%'))
}

export interface StepHandle {
  pid: number
  done: Promise<ActionRun>
}

/** Starts `node dist/index.js` for the main step, or for the post step with the state the main step saved. */
export function startStep(job: Job, step: 'main' | 'post' = 'main'): StepHandle {
  const state = step === 'post' ? readCommandFile(path.join(job.dir, 'state')) : {}
  const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
  const child = spawn(process.execPath, [ENTRY], { cwd: job.workspace, env: { ...job.env, ...stateEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const done = new Promise<ActionRun>((resolve) => {
    child.on('close', (exitCode) =>
      resolve({
        exitCode,
        stdout,
        outputs: readCommandFile(path.join(job.dir, 'output')),
        state: readCommandFile(path.join(job.dir, 'state')),
        summary: readFileSync(path.join(job.dir, 'summary'), 'utf8'),
        errors: commands(stdout, 'error'),
        notices: commands(stdout, 'notice')
      })
    )
  })
  return { pid: child.pid ?? -1, done }
}

export function runStep(job: Job, step: 'main' | 'post' = 'main'): Promise<ActionRun> {
  return startStep(job, step).done
}

/** Processes still running inside the job's directory: the server or anything it started. */
export function processesIn(dir: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) found.push(Number(entry))
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found
}
