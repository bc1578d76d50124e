import { describe, expect, it } from '@jest/globals'
import { terminalMarkdown } from '../../src/cli/result.js'
import { formatFooter, renderFindingList, renderWalkthrough } from '../../src/github/render.js'
import type { Finding } from '../../src/domain/finding.js'

const finding: Finding = {
  file: 'src/greet.ts',
  startLine: 2,
  endLine: 3,
  severity: 'medium',
  title: 'Shouting greeting',
  body: 'The name is upper-cased.',
  suggestion: 'return name'
}

describe('the local command prints', () => {
  const markdown = [
    renderWalkthrough([{ files: ['src/greet.ts'], change: 'Shouts the name' }]),
    '## Summary\nOne change.',
    renderFindingList([finding], 'Findings')
  ].join('\n\n')
  const printed = terminalMarkdown(
    markdown,
    formatFooter({ model: 'anthropic/claude-sonnet-4-5', filesReviewed: 1, filesLeftOut: 0 })
  )

  it("the review's walkthrough, summary, findings and footer", () => {
    expect(markdown).toContain('<!-- opencode-pr-review:finding')
    expect(printed).toContain('| `src/greet.ts` | Shouts the name |')
    expect(printed).toContain('## Summary\nOne change.')
    expect(printed).toContain('**medium** · `src/greet.ts` lines 2–3: Shouting greeting')
    expect(printed).toMatch(/\n---\nReviewed by OpenCode with `anthropic\/claude-sonnet-4-5` · 1 file reviewed$/)
  })

  it('no HTML comment, marker or other markup only GitHub reads', () => {
    expect(printed).not.toMatch(/<!--|-->|<\/?sub>|opencode-pr-review:/)
  })

  it('no empty line where a marker was', () => {
    expect(printed).not.toMatch(/\n\n\n/)
  })
})
