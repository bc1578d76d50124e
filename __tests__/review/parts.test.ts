import { describe, expect, it } from '@jest/globals'
import type { FileDiff } from '../../src/diff/parse.js'
import { selectDiff } from '../../src/diff/select.js'
import type { ReviewResult } from '../../src/opencode/session.js'
import { splitIntoParts } from '../../src/diff/groups.js'
import { answerOf, partPrompts } from '../../src/review/parts.js'
import { PROMPT_ALLOWANCE } from '../../src/review/prompt.js'
import { pullRequestFacts } from '../../__fixtures__/pull-request.js'

const file = (path: string, size: number): FileDiff => ({
  path,
  status: 'added',
  binary: false,
  text: `diff --git a/${path} b/${path}\n${'+'.repeat(size)}`
})
const result = (patch: Partial<ReviewResult>): ReviewResult => ({
  markdown: '',
  structured: undefined,
  model: 'p/m',
  tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
  cost: 0,
  ...patch
})

describe('partPrompts', () => {
  it('keeps every message of a 3,000-file pull request within max-diff-chars and PROMPT_ALLOWANCE', () => {
    const files = Array.from({ length: 3000 }, (_, i) => file(`pkg-${i % 12}/src/file${i}.ts`, 3_300))
    const diff = selectDiff(files, { exclude: [], maxChars: 2_000_000, maxFileChars: 150_000 })
    expect(diff.leftOut.length).toBeGreaterThan(2000)
    const parts = splitIntoParts(diff, 150_000)
    const messages = partPrompts(
      { pullRequest: pullRequestFacts(), extraInstructions: '', conventions: [], answerFormat: 'fenced' },
      parts
    )
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(150_000 + PROMPT_ALLOWANCE)
    expect(messages[1]).toContain(
      `this is part 2 of ${parts.length}. The diff below holds ${parts[1].files.length} of its files; the other ${diff.files.length - parts[1].files.length} are reviewed separately`
    )
    const sent = messages.reduce((sum, message) => sum + message.length, 0)
    expect(sent / diff.text.length).toBeLessThan(1.1)
  })
})

describe('answerOf', () => {
  it('takes the structured answer, and the text when its summary is empty', () => {
    const findings = [{ file: 'a.ts', start_line: 1, end_line: 1, severity: 'low', title: 't', body: 'b' }]
    expect(answerOf(result({ structured: { summary: 'S', findings } })).findings).toHaveLength(1)
    expect(answerOf(result({ structured: { summary: '', findings: [] }, markdown: 'From text.' })).summary).toBe(
      'From text.'
    )
  })

  it('falls back to a fenced block in the text, then to the text alone', () => {
    const fenced =
      'Summary.\n```json\n{"findings": [{"file": "a.ts", "line": 2, "severity": "high", "title": "t", "body": "b"}]}\n```'
    expect(answerOf(result({ markdown: fenced }))).toMatchObject({
      summary: 'Summary.',
      findings: [{ file: 'a.ts', startLine: 2 }]
    })
    expect(answerOf(result({ markdown: 'Only text.', structured: 'not an object' }))).toEqual({
      summary: 'Only text.',
      walkthrough: [],
      findings: [],
      dropped: 0
    })
  })
})
