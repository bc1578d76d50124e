import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { markdownSection, parseStrictYaml, readRepositoryFile, yamlBlocks } from '../../__fixtures__/action-metadata.js'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import type { FakeFile } from '../../__fixtures__/fake-github.js'
import { type ActionRun, runStep } from '../../__fixtures__/runner.js'
import { answer, pull, type Scenario, startScenario } from './scenario.js'

// Each test boots the real OpenCode server twice: a review, a push, the review of the push.
jest.setTimeout(180_000)

const FIRST_HEAD = 'b'.repeat(40)
const SECOND_HEAD = 'c'.repeat(40)

let world: Scenario
afterEach(() => world.close())

/** What the README's quick start grants the job's token. */
const [quickStart] = yamlBlocks(markdownSection(readRepositoryFile('README.md'), 'Quick start'))
const readmePermissions = (parseStrictYaml(quickStart.text) as { permissions: Record<string, string> }).permissions

/** Hunks of a file whose line N reads `line N`, changing each of `lines` (one line of context each side); `revert` undoes them. */
function hunks(lines: number[], revert = false): string {
  return lines
    .map((line) => {
      const [before, after] = revert
        ? [`line ${line} changed`, `line ${line}`]
        : [`line ${line}`, `line ${line} changed`]
      return `@@ -${line - 1},3 +${line - 1},3 @@\n line ${line - 1}\n-${before}\n+${after}\n line ${line + 1}`
    })
    .join('\n')
}

function fileDiff(path: string, patch: string): string {
  return `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n${patch}\n`
}

const FILES = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts']
/** A file of 12 lines, line N reading `line N`, those of `changed` reading `line N changed`. */
const file = (changed: number[]) =>
  Array.from({ length: 12 }, (_, index) => `line ${index + 1}${changed.includes(index + 1) ? ' changed' : ''}\n`).join(
    ''
  )
/** Each file changed at line 2. */
const FIRST_DIFF = FILES.map((path) => fileDiff(path, hunks([2]))).join('')
/** The push moves the change in a, b and c to line 9 (line 2 is back as it was, out of the diff); d is untouched. */
const MOVED = ['src/a.ts', 'src/b.ts', 'src/c.ts']
const MOVED_PATCH = `${hunks([2], true)}\n${hunks([9])}`
const SECOND_DIFF = [...MOVED.map((path) => fileDiff(path, hunks([9]))), fileDiff('src/d.ts', hunks([2]))].join('')
const PUSHED: FakeFile[] = MOVED.map((filename) => ({
  filename,
  status: 'modified',
  additions: 2,
  deletions: 2,
  patch: MOVED_PATCH
}))

const finding = (file: string, line: number, title: string) => ({
  file,
  start_line: line,
  end_line: line,
  severity: 'medium',
  title,
  body: 'Worth a look.'
})
/** Outdated after the push, nobody answers it, not found again: resolved. */
const gone = finding('src/a.ts', 2, 'Off-by-one in the loop')
/** Outdated after the push, but a person answers it: left alone. */
const answered = finding('src/b.ts', 2, 'Magic number')
/** Outdated after the push, and the second review finds it again where the code moved: left alone. */
const moved = finding('src/c.ts', 2, 'Unchecked index')
/** Still on the diff's lines after the push: left alone, though not found again. */
const current = finding('src/d.ts', 2, 'Missing await')

function graphqlOperations(): Array<string | undefined> {
  return world.github.requests.filter((request) => request.path === '/graphql').map((request) => request.operationId)
}

function resolvedPaths(): string[] {
  return world.github.reviewComments.filter((comment) => comment.resolved).map((comment) => comment.path)
}

/** A review posting the four findings on their lines, a person's reply in b's thread, a push, and the review of the push. */
async function reviewPushReview(given: Record<string, string> = {}, tokenCanResolveThreads = true): Promise<ActionRun> {
  // Learning reads the threads on every run too (learnings.test.ts): left out, so the reads counted here are resolving's.
  const inputs = { learn: 'false', ...given }
  const seed = pull(7, {
    headSha: FIRST_HEAD,
    diff: FIRST_DIFF,
    headFiles: Object.fromEntries(FILES.map((path) => [path, file([2])]))
  })
  world = await startScenario([seed], {
    comparisons: { [`${FIRST_HEAD}...${SECOND_HEAD}`]: { status: 'ahead', files: PUSHED } },
    tokenCanResolveThreads
  })
  world.model.script([answer('First look.', [gone, answered, moved, current])])
  const first = await runStep(world.job({ inputs }))
  expect(first.errors).toEqual([])
  expect(world.github.reviews[0].comments.map((comment: { path: string }) => comment.path)).toEqual(FILES)
  // No earlier run posted findings: no thread to look at.
  expect(graphqlOperations()).toEqual([])

  const opening = world.github.reviewComments.find((comment) => comment.path === 'src/b.ts')!
  world.github.addReviewReply(opening.id, 'The spec fixes it at 42: keeping it.', 'octocat', 'MEMBER')
  seed.headSha = SECOND_HEAD
  seed.diff = SECOND_DIFF
  seed.headFiles = { ...Object.fromEntries(MOVED.map((path) => [path, file([9])])), 'src/d.ts': file([2]) }
  world.model.script([answer('Second look.', [{ ...moved, start_line: 9, end_line: 9 }])])
  const second = await runStep(
    world.job({ inputs, payload: pullRequestEvent('synchronize', { number: 7, headSha: SECOND_HEAD }) })
  )
  expect(second.errors).toEqual([])
  expect(second.exitCode).toBe(0)
  // Warnings on files are the findings that stand (fail-on is not set); none of the run's own.
  expect(second.stdout).not.toMatch(/^::warning::/m)
  return second
}

describe('outdated review threads', () => {
  it('are resolved when their code changed, nobody answered them and the finding is not found again; any other thread is left alone', async () => {
    const second = await reviewPushReview()

    // The finding found again where the code moved is posted there, as a new thread.
    expect(world.github.reviews[1].comments).toEqual([expect.objectContaining({ path: 'src/c.ts', line: 9 })])
    expect(resolvedPaths()).toEqual(['src/a.ts'])
    expect(second.stdout).toContain(
      'Resolved 1 outdated review thread(s) whose code changed, that nobody answered and this run did not find again.'
    )
    expect(graphqlOperations()).toEqual(['graphql/repository', 'graphql/resolveReviewThread'])
  })

  it("are left alone under the README's permissions (contents: read), with one line that says why and what to grant", async () => {
    // GitHub lets a token resolve review threads only with `contents: write` (the thread query's viewerCanResolve).
    // (`issues: write` keeps the learnings issue, `checks: write` the verdict's check run.)
    expect(readmePermissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      issues: 'write',
      checks: 'write'
    })
    const second = await reviewPushReview({}, readmePermissions.contents === 'write')

    expect(resolvedPaths()).toEqual([])
    expect(graphqlOperations()).toEqual(['graphql/repository'])
    expect(second.stdout.match(/stays? open/g)).toHaveLength(1)
    expect(second.stdout).toContain(
      "1 outdated review thread of this action's stays open: this token may not resolve threads. GitHub asks for `contents: write` in the job's `permissions:` to resolve them (or set `resolve-outdated: false`)."
    )
  })

  it('are all left alone with resolve-outdated: false: read for the verdict, never resolved', async () => {
    const second = await reviewPushReview({ 'resolve-outdated': 'false' })

    expect(resolvedPaths()).toEqual([])
    expect(graphqlOperations()).toEqual(['graphql/repository'])
    expect(second.stdout).not.toContain('outdated review thread')
  })
})
