import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import type { FakeFile } from '../../__fixtures__/fake-github.js'
import { type ChatRequest, type ModelTurn, promptText } from '../../__fixtures__/fake-model.js'
import { runStep } from '../../__fixtures__/runner.js'
import { pull, REAL_WORLD_DIFF, type Scenario, startScenario } from './scenario.js'

// Whole reviews on the real OpenCode server whose summary opens with the model's table of what changed.
jest.setTimeout(240_000)

const FIRST_HEAD = 'b'.repeat(40)
const SECOND_HEAD = 'c'.repeat(40)
const START = '<!-- opencode-pr-review:walkthrough:start -->'
const END = '<!-- opencode-pr-review:walkthrough:end -->'

let world: Scenario
afterEach(() => world.close())

type Row = { files: string[]; change: string }

/** The model's structured answer with a walkthrough. */
function answerWithRows(summary: string, walkthrough: Row[]): ModelTurn {
  return { kind: 'toolCall', tool: 'StructuredOutput', args: { summary, walkthrough, findings: [] } }
}

interface ObjectSchema {
  properties: Record<string, unknown>
  required?: string[]
}

/** The JSON schema of the tool the structured answer comes back through, as OpenCode offered it to the model. */
function answerSchema(request: ChatRequest): ObjectSchema {
  const tool = request.tools?.find((entry) => entry.function.name === 'StructuredOutput')
  return (tool?.function as { parameters?: ObjectSchema } | undefined)?.parameters ?? { properties: {} }
}

/** The text OpenCode sent as the user's message. */
function userPrompt(request: ChatRequest): string {
  return promptText({ ...request, messages: request.messages.filter((message) => message.role === 'user') })
}

/** Two files in each of three directories, each adding `lines` lines. */
function packageFiles(lines: number): FakeFile[] {
  return ['a', 'b', 'c'].flatMap((pkg) =>
    [0, 1].map((i) => ({
      filename: `pkg-${pkg}/src/file${i}.ts`,
      status: 'added' as const,
      additions: lines,
      deletions: 0,
      patch: `@@ -0,0 +1,${lines} @@\n${Array.from({ length: lines }, (_, line) => `+export const value${line} = compute(${line}, '${pkg}${i}')`).join('\n')}`
    }))
  )
}

/** The section the action wrote into a description, markers included. */
function sectionIn(body: string): string {
  const end = body.lastIndexOf(END) + END.length
  return body.slice(body.lastIndexOf(START, end), end)
}

describe('the walkthrough', () => {
  it('opens the posted summary with the table the model wrote in its answer, unknown paths dropped', async () => {
    world = await startScenario([pull(7)])
    world.model.script([
      answerWithRows('Renames the parser and documents it.', [
        { files: ['src/keep.ts', './src/new-name.ts'], change: 'Renames the parser and keeps its wording.' },
        { files: ['src/invented.ts'], change: 'A file the pull request does not have.' },
        { files: ['docs/with space.md', 'src/nowhere.ts'], change: 'Documents a | b.\nA second line.' }
      ])
    ])

    const run = await runStep(world.job())

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    // Asked for in the same message and through the same tool: no second call.
    expect(world.model.requests).toHaveLength(1)
    const [request] = world.model.requests
    expect(userPrompt(request)).toContain(
      '"walkthrough" is a table of what changed: one row per file or per group of related files, at most about 20 rows'
    )
    expect(answerSchema(request).properties.walkthrough).toMatchObject({
      type: 'array',
      items: { properties: { files: { type: 'array' }, change: { type: 'string' } } }
    })
    expect(answerSchema(request).required).toContain('walkthrough')

    const table = [
      '| Files | What changed |',
      '| --- | --- |',
      '| `src/keep.ts`, `src/new-name.ts` | Renames the parser and keeps its wording. |',
      '| `docs/with space.md` | Documents a \\| b. |'
    ].join('\n')
    const [review] = world.github.reviews
    expect(review.body.startsWith(`${table}\n\nRenames the parser and documents it.`)).toBe(true)
    expect(review.body).not.toContain('invented')
    expect(review.body).not.toContain('nowhere')
    expect(run.outputs.review.startsWith(table)).toBe(true)
    expect(run.summary).toContain(table)
    // `describe` is off by default: the description is the author's alone.
    expect(world.github.requests.filter((request) => request.operationId === 'pulls/update')).toEqual([])
  })

  it('walkthrough: false asks for no table and shows none', async () => {
    world = await startScenario([pull(7)])
    world.model.script([
      answerWithRows('Looks fine.', [{ files: ['src/keep.ts'], change: 'Written although nobody asked.' }])
    ])

    const run = await runStep(world.job({ inputs: { walkthrough: 'false' } }))

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const [request] = world.model.requests
    expect(userPrompt(request)).not.toMatch(/walkthrough/i)
    expect(answerSchema(request).properties).not.toHaveProperty('walkthrough')
    expect(Object.keys(answerSchema(request).properties).sort()).toEqual(['findings', 'summary'])
    const [review] = world.github.reviews
    expect(review.body.startsWith('Looks fine.')).toBe(true)
    expect(review.body).not.toContain('| Files |')
    expect(review.body).not.toContain('nobody asked')
  })

  it("of a split pull request is the synthesis's regrouping of the parts' rows, in the review's language", async () => {
    const changed = packageFiles(20)
    world = await startScenario([pull(7, { diffTooLarge: true, files: changed })])
    const paths = changed.map((file) => file.filename)
    world.model.respond = (request) => {
      const prompt = userPrompt(request)
      if (prompt.includes('was reviewed in'))
        return answerWithRows('Adds three packages.', [
          { files: paths.filter((path) => path.startsWith('pkg-a/')), change: 'Fügt Paket a hinzu.' },
          { files: paths.filter((path) => !path.startsWith('pkg-a/')), change: 'Fügt die Pakete b und c hinzu.' }
        ])
      const mine = paths.filter((path) => prompt.includes(`diff --git a/${path} `))
      return answerWithRows(
        `Part with ${mine.length} files.`,
        mine.map((path) => ({ files: [path], change: `Fügt ${path} hinzu.` }))
      )
    }

    const run = await runStep(world.job({ inputs: { 'max-diff-chars': '2500', language: 'de' } }))

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const prompts = world.model.requests.map(userPrompt)
    const partPrompts = prompts.filter((prompt) => prompt.includes('<diff files='))
    const synthesis = prompts.find((prompt) => prompt.includes('was reviewed in'))
    expect(partPrompts.length).toBeGreaterThan(1)
    for (const prompt of partPrompts)
      expect(prompt).toContain(
        'Language: write the summary, each walkthrough row\'s change and each finding\'s title and body in the language with the BCP 47 tag "de".'
      )
    // Every part's rows reach the synthesis as data, and it answers through the structured output.
    for (const path of paths) expect(synthesis).toContain(`{"files":["${path}"],"change":"Fügt ${path} hinzu."}`)
    expect(synthesis).toContain('regroup them across parts')
    expect(synthesis).toContain(
      'Language: write the summary and each walkthrough row\'s change in the language with the BCP 47 tag "de".'
    )
    const synthesisRequest = world.model.requests.find((request) => userPrompt(request).includes('was reviewed in'))
    expect(Object.keys(answerSchema(synthesisRequest as ChatRequest).properties).sort()).toEqual([
      'summary',
      'walkthrough'
    ])

    const [review] = world.github.reviews
    expect(
      review.body.startsWith(
        [
          '| Files | What changed |',
          '| --- | --- |',
          '| `pkg-a/src/file0.ts`, `pkg-a/src/file1.ts` | Fügt Paket a hinzu. |',
          '| `pkg-b/src/file0.ts`, `pkg-b/src/file1.ts`, `pkg-c/src/file0.ts`, `pkg-c/src/file1.ts` | Fügt die Pakete b und c hinzu. |',
          '',
          'Adds three packages.'
        ].join('\n')
      )
    ).toBe(true)
  })
})

describe('describe: true', () => {
  it("writes the walkthrough into the description between markers, keeps the author's edits, and only warns when refused", async () => {
    const seed = pull(7, { body: 'Fixes #12.' })
    world = await startScenario([seed])
    const inputs = { describe: 'true' }
    world.model.script([
      answerWithRows('First look.', [{ files: ['src/keep.ts'], change: 'Changes the parser.' }]),
      answerWithRows('Second look.', [{ files: ['src/keep.ts', 'src/nonl.ts'], change: 'Reworks the parsing.' }]),
      answerWithRows('Third look.', [{ files: ['src/deleted.ts'], change: 'Removes the old module.' }])
    ])

    // Without the table in the summary, the model is still asked for the rows the description gets.
    const first = await runStep(world.job({ inputs: { ...inputs, walkthrough: 'false' } }))
    expect(first.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    expect(userPrompt(world.model.requests[0])).toContain('"walkthrough" is a table of what changed')
    expect(world.github.reviews[0].body.startsWith('First look.')).toBe(true)
    expect(seed.body?.startsWith(`Fixes #12.\n\n${START}\n### Walkthrough\n\n| Files | What changed |`)).toBe(true)
    expect(seed.body).toContain('| `src/keep.ts` | Changes the parser. |')
    expect(seed.body?.endsWith(END)).toBe(true)
    const updates = () => world.github.requests.filter((request) => request.operationId === 'pulls/update')
    expect(updates().map((request) => [request.status, Object.keys(request.body)])).toEqual([[200, ['body']]])
    expect(first.stdout).toContain("Wrote the walkthrough into the pull request's description.")

    // The author edits around the section between the runs.
    seed.body = `Fixes #12 and #13.\r\n${(seed.body ?? '').slice('Fixes #12.'.length)}\r\n\r\nThanks for looking!`
    const second = await runStep(world.job({ inputs }))
    expect(second.errors).toEqual([])
    expect(seed.body.startsWith(`Fixes #12 and #13.\r\n\n\n${START}`)).toBe(true)
    expect(seed.body.endsWith(`${END}\r\n\r\nThanks for looking!`)).toBe(true)
    expect(seed.body.split(START)).toHaveLength(2)
    expect(sectionIn(seed.body)).toContain('| `src/keep.ts`, `src/nonl.ts` | Reworks the parsing. |')
    expect(sectionIn(seed.body)).not.toContain('Changes the parser.')

    // A token that may not write the description (a fork's): the review stands, the step passes, the log says why.
    const before = seed.body
    world.github.failNext('pulls/update', { status: 403, message: 'Resource not accessible by integration' })
    const third = await runStep(world.job({ inputs }))
    expect(third.errors).toEqual([])
    expect(third.exitCode).toBe(0)
    expect(world.github.reviews).toHaveLength(3)
    expect(world.github.reviews[2].body).toContain('Removes the old module.')
    expect(seed.body).toBe(before)
    expect(third.stdout).toMatch(
      /::warning::Could not write the walkthrough into the description of pull request #7: GitHub answered 403 .*`pull-requests: write`/
    )
  })

  it('an incremental review keeps the earlier rows of the files it did not touch and adds its own', async () => {
    const patch = '@@ -0,0 +1,3 @@\n+export function greet(name: string) {\n+  return name\n+}'
    const seed = pull(7, { headSha: FIRST_HEAD, body: 'Fixes #12.' })
    world = await startScenario([seed], {
      comparisons: {
        [`${FIRST_HEAD}...${SECOND_HEAD}`]: {
          status: 'ahead',
          files: [
            { filename: 'src/greet.ts', status: 'added', additions: 3, deletions: 0, patch },
            // Touched again, and described again.
            { filename: 'src/keep.ts', status: 'modified', additions: 1, deletions: 1, patch: '@@ -2 +2 @@\n-a\n+b' }
          ]
        }
      }
    })
    const inputs = { describe: 'true' }
    world.model.script([
      answerWithRows('First look.', [
        { files: ['src/keep.ts', 'src/nonl.ts'], change: 'Changes the parser.' },
        { files: ['docs/with space.md'], change: 'Documents it.' }
      ]),
      answerWithRows('The push.', [
        { files: ['src/greet.ts'], change: 'Adds a greeting.' },
        { files: ['src/keep.ts'], change: 'Fixes the parser again.' }
      ])
    ])
    expect((await runStep(world.job({ inputs }))).exitCode).toBe(0)

    seed.headSha = SECOND_HEAD
    seed.diff = `${REAL_WORLD_DIFF.trimEnd()}\ndiff --git a/src/greet.ts b/src/greet.ts\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/src/greet.ts\n${patch}\n`
    const second = await runStep(
      world.job({ inputs, payload: pullRequestEvent('synchronize', { number: 7, headSha: SECOND_HEAD }) })
    )

    expect(second.errors).toEqual([])
    expect(second.exitCode).toBe(0)
    expect(promptText(world.model.requests[1])).toContain('This is an incremental review')
    // The review shows what this push changed; the description, the whole pull request.
    expect(world.github.reviews[1].body).toContain('| `src/greet.ts` | Adds a greeting. |')
    expect(world.github.reviews[1].body).not.toContain('Documents it.')
    const rows = sectionIn(seed.body ?? '')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
    expect(rows).toEqual([
      '| `src/nonl.ts` | Changes the parser. |',
      '| `docs/with space.md` | Documents it. |',
      '| `src/greet.ts` | Adds a greeting. |',
      '| `src/keep.ts` | Fixes the parser again. |'
    ])
    expect(seed.body?.startsWith(`Fixes #12.\n\n${START}`)).toBe(true)
  })
})
