import { describe, expect, it } from '@jest/globals'
import { parseAgentMarkdown } from '../../src/github/repository-agent.js'

describe('parseAgentMarkdown', () => {
  it('takes the scalar settings and the body as the prompt, and leaves tools and permissions out', () => {
    const agent = parseAgentMarkdown(
      '---\ndescription: "Security reviewer"\nmode: primary\nmodel: anthropic/claude-sonnet-4-5\ntemperature: 0.2\ntools:\n  bash: true\npermission:\n  edit: allow\n---\nLook for injection bugs.\n\nBe brief.\n'
    )
    expect(agent).toEqual({
      description: 'Security reviewer',
      mode: 'primary',
      model: 'anthropic/claude-sonnet-4-5',
      temperature: 0.2,
      prompt: 'Look for injection bugs.\n\nBe brief.'
    })
  })

  it('reads a file without frontmatter as a prompt', () => {
    expect(parseAgentMarkdown('Just a prompt.\n')).toEqual({ prompt: 'Just a prompt.' })
  })

  it('reads CRLF files', () => {
    expect(parseAgentMarkdown('---\r\nmode: primary\r\n---\r\nPrompt.\r\n')).toEqual({
      mode: 'primary',
      prompt: 'Prompt.'
    })
  })
})
