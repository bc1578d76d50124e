import { describe, expect, it } from '@jest/globals'
import { composeBody, formatFooter, MARKER, MAX_BODY_CHARS } from '../src/publish.js'

describe('formatFooter', () => {
  it('names the model, the files, the tokens and the cost', () => {
    expect(formatFooter({ model: 'anthropic/claude', filesReviewed: 3, filesLeftOut: 2, tokens: { input: 12000, output: 800 }, cost: 0.0421 })).toBe(
      '<sub>Reviewed by OpenCode with `anthropic/claude` · 3 files reviewed · 2 left out · 12,000 in / 800 out tokens · $0.0421</sub>'
    )
  })

  it('leaves out what OpenCode did not report', () => {
    expect(formatFooter({ model: 'fake/m', filesReviewed: 1, filesLeftOut: 0, tokens: { input: 0, output: 0 }, cost: 0 })).toBe(
      '<sub>Reviewed by OpenCode with `fake/m` · 1 file reviewed</sub>'
    )
  })
})

describe('composeBody', () => {
  it('ends with the footer and the hidden marker', () => {
    expect(composeBody('Looks good.', 'footer')).toBe(`Looks good.\n\n---\nfooter\n${MARKER}`)
  })

  it('cuts a review that is too long, says so, and keeps the marker', () => {
    const body = composeBody('word '.repeat(20_000), 'footer')
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    expect(body).toContain('The review was cut here: it had 100,000 characters')
    expect(body.endsWith(MARKER)).toBe(true)
  })

  it('closes a code block the cut left open', () => {
    const markdown = 'Intro\n```ts\n' + 'const x = 1\n'.repeat(100)
    const body = composeBody(markdown, 'f', 500)
    expect(body.length).toBeLessThanOrEqual(500)
    expect(body.match(/```/g)).toHaveLength(2)
  })

  it('does not split a surrogate pair', () => {
    const body = composeBody('😀'.repeat(400), 'f', 500)
    expect(body.length).toBeLessThanOrEqual(500)
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})
