import { afterEach, describe, expect, it, jest } from '@jest/globals'
import {
  type ChatRequest,
  FAKE_MODEL,
  FAKE_OTHER_MODEL,
  FAKE_PROVIDER,
  type ModelTurn,
  promptText
} from '../../__fixtures__/fake-model.js'
import { runStep } from '../../__fixtures__/runner.js'
import { answer, pull, type Scenario, startScenario } from './scenario.js'

// `fallback-model`, `synthesis-model` and `language` on the real OpenCode server.
jest.setTimeout(180_000)

const OTHER = `${FAKE_PROVIDER}/${FAKE_OTHER_MODEL}`

let world: Scenario
afterEach(() => world.close())

/** Three files in three directories, each too large to share a part of 2,000 characters with another. */
const threeParts = ['a', 'b', 'c'].map((directory) => ({
  filename: `${directory}/main.ts`,
  status: 'added' as const,
  additions: 40,
  deletions: 0,
  patch: `@@ -0,0 +1,40 @@\n${Array.from({ length: 40 }, (_, line) => `+export const value${line} = ${line}`).join('\n')}`
}))

const asksForSynthesis = (request: ChatRequest) => promptText(request).includes('was reviewed in 3 parts')

describe('fallback-model', () => {
  it('reviews again with the fallback when the provider rejects the primary model, in the language asked for', async () => {
    world = await startScenario()
    world.model.respond = (request): ModelTurn =>
      request.model === FAKE_MODEL
        ? { kind: 'error', status: 401, message: 'Incorrect API key provided' }
        : answer('Zusammenfassung: sieht gut aus.', [])

    const run = await runStep(world.job({ inputs: { 'fallback-model': OTHER, language: 'de' } }))

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(world.model.requests.map((request) => request.model)).toEqual([FAKE_MODEL, FAKE_OTHER_MODEL])
    for (const request of world.model.requests)
      expect(promptText(request)).toContain('in the language with the BCP 47 tag "de"')
    expect(run.stdout).toContain(
      `::warning::The review with '${FAKE_PROVIDER}/${FAKE_MODEL}' failed (The model provider failed: `
    )
    expect(run.stdout).toMatch(
      /Incorrect API key provided.*; it is retried with the fallback model 'fake\/other-model'\./
    )
    const [review] = world.github.reviews
    expect(world.github.reviews).toHaveLength(1)
    expect(review.body).toContain('Zusammenfassung: sieht gut aus.')
    expect(review.body).toContain(`Reviewed by OpenCode with \`${OTHER}\``)
  })

  it('reviews with the fallback when the primary model is unknown to its provider', async () => {
    world = await startScenario()
    world.model.script([answer('Reviewed by the fallback.', [])])

    const run = await runStep(
      world.job({ inputs: { model: `${FAKE_PROVIDER}/no-such-model`, 'fallback-model': OTHER } })
    )

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(
      `::warning::The review with '${FAKE_PROVIDER}/no-such-model' failed (The model provider '${FAKE_PROVIDER}' has no model 'no-such-model'`
    )
    expect(world.github.reviews[0].body).toContain(`Reviewed by OpenCode with \`${OTHER}\``)
  })

  it('does not retry a review that ran out of time: the fallback would have no time either', async () => {
    world = await startScenario()
    world.model.script([{ kind: 'hang' }])

    const run = await runStep(world.job({ inputs: { 'fallback-model': OTHER, 'review-timeout': '3' } }))

    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain("The review took longer than 3s ('review-timeout') and was aborted.")
    expect(world.model.requests.filter((request) => request.model === FAKE_OTHER_MODEL)).toEqual([])
    expect(run.stdout).not.toContain('fallback model')
    expect(world.github.reviews).toHaveLength(0)
  })

  it('retries only the failed part of a split review; synthesis-model merges the parts', async () => {
    world = await startScenario([pull(7, { diffTooLarge: true, files: threeParts })])
    world.model.respond = (request): ModelTurn => {
      if (asksForSynthesis(request))
        return {
          kind: 'toolCall',
          tool: 'StructuredOutput',
          args: { summary: 'Merged summary of every part.', walkthrough: [] }
        }
      const [, first] = /^diff --git a\/(\S+) /m.exec(promptText(request)) ?? []
      if (request.model === FAKE_MODEL && first?.startsWith('c/'))
        return { kind: 'error', status: 500, message: 'upstream overloaded' }
      return answer(`Part with ${first}.`, [])
    }

    const run = await runStep(
      world.job({
        inputs: { 'max-diff-chars': '2000', 'fallback-model': OTHER, 'synthesis-model': OTHER, language: 'ja' }
      })
    )

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const synthesis = world.model.requests.filter(asksForSynthesis)
    expect(synthesis.map((request) => request.model)).toEqual([FAKE_OTHER_MODEL])
    expect(promptText(synthesis[0])).toContain(
      'write the summary and each walkthrough row\'s change in the language with the BCP 47 tag "ja"'
    )
    const parts = world.model.requests.filter((request) => !asksForSynthesis(request))
    expect(parts.filter((request) => request.model === FAKE_OTHER_MODEL)).toHaveLength(1)
    expect(run.stdout).toMatch(
      /::warning::The part \d\/3 with 'fake\/review-model' failed \(.*upstream overloaded.*\); it is retried/
    )
    const [review] = world.github.reviews
    expect(review.body).toContain('Merged summary of every part.')
    expect(review.body).toContain('3 files reviewed')
    expect(review.body).toContain(`Reviewed by OpenCode with \`${FAKE_PROVIDER}/${FAKE_MODEL}, ${OTHER}\``)
  })
})
