import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** Runs the bundled action as the GitHub runner does: INPUT_* and GITHUB_* variables, an event file, command files. */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/**
 * Holds the real `opencode` binary at the pinned version, put on PATH as a runner with OpenCode
 * installed would have it; ensureOpencodeBinary() of __fixtures__/opencode-binary.ts (the e2e
 * project's globalSetup) installs it there.
 */
export const OPENCODE_BIN_DIR = path.join(ROOT, '.tmp/opencode/bin')
/** The HOME of the tests' runs; OpenCode keeps nothing there (each server has a directory of its own in RUNNER_TEMP). */
export const RUNNER_HOME = path.join(ROOT, '.tmp/e2e-home')

/** The node runtimes a runner runs JavaScript actions with. */
const NODE_RUNTIMES = ['node20', 'node24']

const installedNodes = new Map<string, string>()

/**
 * The Node a runner runs a `using: nodeNN` action with: its own, whatever Node the machine has. The
 * Node running the tests when its major version matches, else the one scripts/install-node puts into
 * .tmp/ (the end-to-end projects' globalSetup installs it before the tests start).
 */
export function runtimeNode(using: string): string {
  const major = using.replace(/^node/, '')
  if (process.versions.node.split('.')[0] === major) return process.execPath
  let installed = installedNodes.get(major)
  if (installed === undefined) {
    const bin = execFileSync(path.join(ROOT, 'scripts/install-node'), [major], { encoding: 'utf8' }).trim()
    installed = path.join(bin, 'node')
    installedNodes.set(major, installed)
  }
  return installed
}

interface ActionInput {
  default?: string
}

/** What the runner takes from action.yml before a step starts: how to run it and the inputs' defaults. */
interface ActionMetadata {
  /** The runtime, one of NODE_RUNTIMES. */
  using: string
  main: string
  post?: string
  /** When the post step runs; GitHub's default is `always()`. */
  postIf: string
  inputs: Record<string, ActionInput>
}

/** Reads action.yml as the runner does, refusing what the runner would refuse. */
export function readActionMetadata(file = path.join(ROOT, 'action.yml')): ActionMetadata {
  const action = parse(readFileSync(file, 'utf8'), { strict: true, uniqueKeys: true }) as {
    runs?: { using?: string; main?: string; post?: string; 'post-if'?: string }
    inputs?: Record<string, ActionInput | null>
  }
  const runs = action.runs ?? {}
  if (!NODE_RUNTIMES.includes(runs.using ?? ''))
    throw new Error(`action.yml: runs.using is '${runs.using}', not one of ${NODE_RUNTIMES.join(', ')}`)
  for (const entry of [runs.main, runs.post]) {
    if (entry !== undefined && !existsSync(path.join(ROOT, entry)))
      throw new Error(`action.yml: ${entry} does not exist (run npm run bundle)`)
  }
  if (runs.main === undefined) throw new Error('action.yml: runs.main is missing')
  const inputs = Object.fromEntries(Object.entries(action.inputs ?? {}).map(([name, input]) => [name, input ?? {}]))
  return {
    using: runs.using as string,
    main: runs.main,
    post: runs.post,
    postIf: runs['post-if'] ?? 'always()',
    inputs
  }
}

/** The `${{ github.token }}` a default may hold, evaluated; the emulation knows no other expression. */
function evaluateDefault(value: string, githubToken: string): string {
  const evaluated = value.replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken)
  if (evaluated.includes('${{'))
    throw new Error(`action.yml: the default '${value}' holds an expression this emulation cannot evaluate`)
  return evaluated
}

/**
 * The INPUT_* variables of a step: the inputs the workflow gives, then every
 * other input's default, under the runner's names (spaces to `_`, upper case).
 */
function inputVariables(
  metadata: ActionMetadata,
  given: Record<string, string>,
  githubToken: string
): Record<string, string> {
  const unknown = Object.keys(given).filter((name) => !(name in metadata.inputs))
  if (unknown.length)
    throw new Error(
      `Unexpected input(s) ${unknown.join(', ')}: action.yml declares ${Object.keys(metadata.inputs).join(', ')}`
    )
  const values = Object.entries(metadata.inputs).flatMap(([name, input]) => {
    const value =
      given[name] ?? (input.default === undefined ? undefined : evaluateDefault(String(input.default), githubToken))
    return value === undefined ? [] : [[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]]
  })
  return Object.fromEntries(values)
}

/** A step's outcome as `post-if` sees it. */
type StepOutcome = 'success' | 'failure' | 'cancelled'

/** `post-if` for the status functions a post step's condition uses. */
function postStepRuns(postIf: string, main: StepOutcome): boolean {
  const condition = postIf.replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim()
  const statuses: Record<string, boolean> = {
    'always()': true,
    'success()': main === 'success',
    'failure()': main === 'failure',
    'cancelled()': main === 'cancelled'
  }
  if (!(condition in statuses)) throw new Error(`action.yml: post-if '${postIf}' is beyond this emulation`)
  return statuses[condition]
}

export interface ActionRun {
  exitCode: number | null
  stdout: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** `::error::` messages that name no file, as core.setFailed writes them. */
  errors: string[]
  notices: string[]
  /** Errors and warnings on a file's lines (core.error/core.warning with a `file`), as the checks view shows them. */
  annotations: Annotation[]
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  file: string
  line: number
  endLine: number
  title?: string
  message: string
}

export interface Job {
  /** Where GITHUB_WORKSPACE and the command files live; one per test. */
  dir: string
  workspace: string
  env: Record<string, string>
  /** Set when the main step ends: whether `post-if` lets the post step run. */
  mainOutcome?: StepOutcome
}

export interface JobOptions {
  eventName: string
  payload: Record<string, unknown>
  /** The inputs the workflow's `with:` gives; the others get action.yml's defaults. */
  inputs: Record<string, string>
  /** The job's token, which `${{ github.token }}` evaluates to. */
  githubToken?: string
  apiUrl: string
  repository?: string
  env?: Record<string, string>
}

/** What a runner's step inherits from its machine (proxy and CA settings, locale), minus what jest or an outer workflow set. */
function machineEnvironment(): Record<string, string> {
  const inherited: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(INPUT_|GITHUB_|RUNNER_|STATE_|ACTIONS_|JEST_)/.test(name) || name === 'NODE_OPTIONS')
      continue
    inherited[name] = value
  }
  return inherited
}

/** Commits everything in the job's workspace, as a pull request's checkout holds it; returns the commit. */
export function commitWorkspace(workspace: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', workspace, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      encoding: 'utf8'
    }).trim()
  git('add', '--all')
  git('commit', '--quiet', '--allow-empty', '--message', 'The pull request')
  return git('rev-parse', 'HEAD')
}

/** Lays out a job: a workspace checked out as actions/checkout leaves it (a git repository) and the runner's files. */
export function prepareJob(options: JobOptions): Job {
  const inputs = inputVariables(
    readActionMetadata(),
    options.inputs,
    options.githubToken ?? 'ghs_jobTokenNotGivenByTheTest000000000000'
  )
  mkdirSync(RUNNER_HOME, { recursive: true })
  const dir = mkdtempSync(path.join(tmpdir(), 'opencode-review-e2e-'))
  const workspace = path.join(dir, 'workspace')
  for (const sub of ['workspace/src', 'temp', 'tool-cache']) mkdirSync(path.join(dir, sub), { recursive: true })
  writeFileSync(path.join(workspace, 'src/app.ts'), 'export const answer = 42\n')
  execFileSync('git', ['init', '--quiet', workspace])
  commitWorkspace(workspace)
  // actions/checkout keeps the token in .git/config: the reviewer must never read it.
  writeFileSync(
    path.join(workspace, '.git/config'),
    `${readFileSync(path.join(workspace, '.git/config'), 'utf8')}[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic Z2l0aHViLXRva2VuLWluLWdpdC1jb25maWc=\n`
  )
  const eventPath = path.join(dir, 'event.json')
  writeFileSync(eventPath, JSON.stringify(options.payload))
  for (const file of ['output', 'state', 'summary', 'env', 'path']) writeFileSync(path.join(dir, file), '')

  const repository = options.repository ?? 'octo-org/octo-repo'
  const sender = (options.payload.sender as { login?: string } | undefined)?.login ?? 'octocat'
  const env: Record<string, string> = {
    ...machineEnvironment(),
    PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`,
    HOME: RUNNER_HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    // What else a runner gives every step, credentials of its own among them (never the server's to see).
    GITHUB_ACTOR: sender,
    GITHUB_TRIGGERING_ACTOR: sender,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0],
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_NUMBER: '3',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'review',
    GITHUB_WORKFLOW: 'AI review',
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 2',
    RUNNER_ENVIRONMENT: 'github-hosted',
    ACTIONS_RUNTIME_URL: 'https://pipelines.actions.githubusercontent.com/runtime/',
    ACTIONS_RESULTS_URL: 'https://results-receiver.actions.githubusercontent.com/',
    ACTIONS_RUNTIME_TOKEN: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.runnerRuntimeToken.signature',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: repository,
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

/** A workflow command's data or property, unescaped as the runner does. */
const unescape = (text: string) =>
  text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')

function fileAnnotations(stdout: string): Annotation[] {
  return [...stdout.matchAll(/^::(error|warning|notice) ([^:]*)::(.*)$/gm)].flatMap((match) => {
    const properties = Object.fromEntries(
      match[2].split(',').map((pair) => {
        const [name, ...value] = pair.split('=')
        return [name, unescape(value.join('='))]
      })
    )
    if (properties.file === undefined) return []
    const line = Number(properties.line)
    return [
      {
        level: match[1] as Annotation['level'],
        file: properties.file,
        line,
        endLine: Number(properties.endLine ?? line),
        ...(properties.title === undefined ? {} : { title: properties.title }),
        message: unescape(match[3])
      }
    ]
  })
}

/** The messages of `::name::` commands that name no file (annotations on lines are `annotations`). */
function commands(stdout: string, name: string): string[] {
  return [...stdout.matchAll(new RegExp(`^::${name}(?: (?![^:]*\\bfile=)[^:]*)?::(.*)$`, 'gm'))].map((match) =>
    unescape(match[1])
  )
}

export interface StepHandle {
  pid: number
  done: Promise<ActionRun>
}

/**
 * Starts the main step (`runs.main`), or the post step (`runs.post`, with the
 * state the main step saved) when `post-if` lets it run after the main step's outcome.
 */
export function startStep(job: Job, step: 'main' | 'post' = 'main'): StepHandle {
  const metadata = readActionMetadata()
  const entry = step === 'main' ? metadata.main : metadata.post
  if (entry === undefined) throw new Error('action.yml has no runs.post: the runner runs no post step')
  if (step === 'post') {
    if (job.mainOutcome === undefined) throw new Error('The post step runs after the main step')
    if (!postStepRuns(metadata.postIf, job.mainOutcome))
      throw new Error(
        `post-if '${metadata.postIf}' skips the post step after a main step that ended in ${job.mainOutcome}`
      )
  }
  const state = step === 'post' ? readCommandFile(path.join(job.dir, 'state')) : {}
  const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
  const child = spawn(runtimeNode(metadata.using), [path.join(ROOT, entry)], {
    cwd: job.workspace,
    env: { ...job.env, ...stateEnv },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const done = new Promise<ActionRun>((resolve) => {
    child.on('close', (exitCode, signal) => {
      if (step === 'main') job.mainOutcome = exitCode === 0 ? 'success' : signal === 'SIGKILL' ? 'cancelled' : 'failure'
      resolve({
        exitCode,
        stdout,
        outputs: readCommandFile(path.join(job.dir, 'output')),
        state: readCommandFile(path.join(job.dir, 'state')),
        summary: readFileSync(path.join(job.dir, 'summary'), 'utf8'),
        errors: commands(stdout, 'error'),
        notices: commands(stdout, 'notice'),
        annotations: fileAnnotations(stdout)
      })
    })
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
