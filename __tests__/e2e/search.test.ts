import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import { type FakeModel, type ModelTurn, promptText, toolResults } from '../../__fixtures__/fake-model.js'
import { type ActionRun, type Job, runStep } from '../../__fixtures__/runner.js'
import { answer, pull, type Scenario, startScenario } from './scenario.js'

// One review in which the model searches the workspace: for callers, and for secrets it may not see.
jest.setTimeout(180_000)

/** Secrets the patterns below reach without spelling them out: none may come back in any request. */
const DOTENV_SECRET = 'hunter2-dotenv-value'
const OUTSIDE_SECRET = 'outside-search-value'
/** What actions/checkout leaves in .git/config (see __fixtures__/runner.ts). */
const GIT_CONFIG_SECRET = 'Z2l0aHViLXRva2VuLWluLWdpdC1jb25maWc='

let world: Scenario
let model: FakeModel
let job: Job
let run: ActionRun
const searches: Array<{ name: string; turn: ModelTurn }> = []
function search(name: string, args: Record<string, unknown>) {
  searches.push({ name, turn: { kind: 'toolCall', tool: 'workspace_search', args } })
}

/** What the search answered the model for the named call: the newest tool result of the request after it. */
function resultOf(name: string): string {
  const index = searches.findIndex((entry) => entry.name === name)
  return toolResults(model.requests[index + 1]).at(-1) ?? ''
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
}

beforeAll(async () => {
  world = await startScenario([pull(5)])
  job = world.job({ payload: pullRequestEvent('synchronize', { number: 5 }), inputs: { 'review-timeout': '120' } })
  model = world.model
  const { workspace } = job
  // A checkout: the files git tracks, a link out among them; then what the workflow left untracked.
  write(path.join(workspace, 'src/diff.ts'), 'export function parseDiff(text: string) {\n  return text\n}\n')
  write(path.join(workspace, 'src/review.ts'), "import { parseDiff } from './diff.js'\nconst files = parseDiff(raw)\n")
  write(path.join(job.dir, 'outside.txt'), `${OUTSIDE_SECRET}\n`)
  symlinkSync(path.join(job.dir, 'outside.txt'), path.join(workspace, 'src/notes.txt'))
  const git = (...args: string[]) => execFileSync('git', ['-C', workspace, ...args])
  git('init', '-q')
  git('add', '-A')
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'checkout')
  write(path.join(workspace, '.env'), `DATABASE_PASSWORD=${DOTENV_SECRET}\n`)

  search('callers', { pattern: 'parseDiff\\(', glob: 'src/**' })
  search('.env', { pattern: 'hunter[0-9]' })
  search('.env by name', { pattern: 'PASSWORD', glob: '.env' })
  search('.git', { pattern: 'extra[h]eader', glob: '.git/**' })
  search('link out', { pattern: 'outside-search-val[u]e' })
  search('parent', { pattern: 'outside-search-val[u]e', glob: '../*' })
  search('absolute', { pattern: 'outside-search-val[u]e', glob: path.join(job.dir, '*') })
  model.script([...searches.map((entry) => entry.turn), answer('Reviewed with searches.', [])])
  run = await runStep(job)
})

afterAll(() => world.close())

describe('a model that searches the workspace', () => {
  it('is offered the search, and the review goes on to be posted', () => {
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect((model.requests[0].tools ?? []).map((tool) => tool.function.name)).toContain('workspace_search')
    expect(model.requests).toHaveLength(searches.length + 1)
    expect(world.github.reviews).toHaveLength(1)
  })

  it('finds the callers of a symbol in the tracked files', () => {
    expect(resultOf('callers')).toContain('src/review.ts:2: const files = parseDiff(raw)')
    expect(resultOf('callers')).toContain('src/diff.ts:1: export function parseDiff(text: string) {')
  })

  it('is told to use it, and each search shows in the progress log', () => {
    expect(promptText(model.requests[0])).toContain('search for its definition and its callers')
    expect(run.stdout).toContain('search "parseDiff\\(" in src/**')
  })

  it('gets nothing of an untracked .env, of .git/ or of a file outside the workspace', () => {
    for (const name of ['.env', '.env by name', '.git', 'link out']) expect(resultOf(name)).toBe('No matches.')
    expect(resultOf('parent')).toContain("climbs out with '..'")
    expect(resultOf('absolute')).toContain('is an absolute path')
    const everything = model.requests.map((request) => JSON.stringify(request)).join('\n')
    for (const secret of [DOTENV_SECRET, OUTSIDE_SECRET, GIT_CONFIG_SECRET, 'extraheader']) {
      expect(everything).not.toContain(secret)
    }
  })
})
