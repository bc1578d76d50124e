import { describe, expect, it } from '@jest/globals'
import type { Part } from '@opencode-ai/sdk/v2/client'
import { reviewMarkdown } from '../../src/opencode/review.js'

const base = { sessionID: 'ses_1', messageID: 'msg_1' }

describe('reviewMarkdown', () => {
  it('joins the text parts and drops reasoning, tools and what OpenCode added itself', () => {
    const parts = [
      { ...base, id: 'prt_1', type: 'reasoning', text: 'thinking…', time: { start: 0 } },
      { ...base, id: 'prt_2', type: 'text', text: '## Summary\n' },
      { ...base, id: 'prt_3', type: 'text', text: 'synthetic note', synthetic: true },
      { ...base, id: 'prt_4', type: 'text', text: 'ignored', ignored: true },
      { ...base, id: 'prt_5', type: 'text', text: '  ' },
      { ...base, id: 'prt_6', type: 'text', text: 'Looks good.' }
    ] as Part[]
    expect(reviewMarkdown(parts)).toBe('## Summary\n\nLooks good.')
  })

  it('is empty when the model said nothing', () => {
    expect(reviewMarkdown([])).toBe('')
  })
})
