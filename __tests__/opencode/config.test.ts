import { describe, expect, it } from '@jest/globals'
import {
  buildOpencodeConfig,
  deepMerge,
  PROVIDER_HEADER_TIMEOUT_MS,
  READ_ONLY_PERMISSION,
  requireModel,
  REVIEWER_AGENT,
  serverEnvironment
} from '../../src/opencode/config.js'

const model = { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' }
const base = { config: {}, model, agent: undefined, allowAgentTools: false }

// The tests walk the generated JSON freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function configOf(setup: { config: string }): Record<string, any> {
  return JSON.parse(setup.config)
}

describe('deepMerge', () => {
  it('merges objects key by key and lets the upper side replace everything else', () => {
    expect(deepMerge({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 }, d: { x: 1 } })).toEqual({
      a: { b: 1, c: [2], e: 3 },
      d: { x: 1 }
    })
  })
})

describe('buildOpencodeConfig', () => {
  it('reviews with the built-in read-only agent and the input model', () => {
    const setup = buildOpencodeConfig(base)
    const config = configOf(setup)
    expect(setup.agent).toBe(REVIEWER_AGENT)
    expect(setup.model).toBe('anthropic/claude-sonnet-4-5')
    expect(config.model).toBe('anthropic/claude-sonnet-4-5')
    expect(config.agent[REVIEWER_AGENT]).toMatchObject({ mode: 'primary', permission: READ_ONLY_PERMISSION })
    expect(config.permission).toEqual(READ_ONLY_PERMISSION)
  })

  it('never leaves a permission at ask', () => {
    const actions = Object.values(READ_ONLY_PERMISSION).flatMap((rule) =>
      typeof rule === 'string' ? [rule] : Object.values(rule)
    )
    expect(new Set(actions)).toEqual(new Set(['allow', 'deny']))
    expect(READ_ONLY_PERMISSION).toMatchObject({
      bash: 'deny',
      edit: 'deny',
      webfetch: 'deny',
      websearch: 'deny',
      external_directory: 'deny',
      question: 'deny',
      task: 'deny'
    })
  })

  it('turns off sharing and updates', () => {
    const setup = buildOpencodeConfig({ ...base, config: { share: 'auto', autoupdate: true } })
    expect(configOf(setup)).toMatchObject({ share: 'disabled', autoupdate: false })
  })

  it('keeps the user’s providers and options', () => {
    const provider = {
      gateway: { npm: '@ai-sdk/openai-compatible', options: { baseURL: 'http://127.0.0.1:1/v1' }, models: { m: {} } }
    }
    expect(configOf(buildOpencodeConfig({ ...base, config: { provider, small_model: 'gateway/m' } }))).toMatchObject({
      provider,
      small_model: 'gateway/m'
    })
  })

  it('does not let the user config lift the denials', () => {
    const config = configOf(
      buildOpencodeConfig({
        ...base,
        config: {
          permission: { bash: 'allow', edit: 'allow' },
          agent: {
            [REVIEWER_AGENT]: { permission: { bash: 'allow' }, tools: { bash: true } },
            helper: { mode: 'subagent', permission: { webfetch: 'allow' } }
          }
        }
      })
    )
    expect(config.permission).toEqual(READ_ONLY_PERMISSION)
    expect(config.agent[REVIEWER_AGENT].permission).toEqual(READ_ONLY_PERMISSION)
    expect(config.agent[REVIEWER_AGENT].tools).toBeUndefined()
    expect(config.agent.helper.permission).toEqual(READ_ONLY_PERMISSION)
  })

  it('uses a user agent, still read-only', () => {
    const setup = buildOpencodeConfig({
      ...base,
      agent: 'security',
      config: { agent: { security: { prompt: 'Find vulnerabilities.', permission: { bash: 'allow' } } } }
    })
    expect(setup.agent).toBe('security')
    expect(configOf(setup).agent.security).toEqual({
      prompt: 'Find vulnerabilities.',
      permission: READ_ONLY_PERMISSION
    })
  })

  it('accepts OpenCode’s built-in primary agents without a definition', () => {
    const setup = buildOpencodeConfig({ ...base, agent: 'plan' })
    expect(configOf(setup).agent.plan).toEqual({ permission: READ_ONLY_PERMISSION })
  })

  it('hands the chosen agent its own permissions back only with allow-agent-tools', () => {
    const config = configOf(
      buildOpencodeConfig({
        ...base,
        agent: 'fixer',
        allowAgentTools: true,
        config: {
          permission: { bash: 'allow' },
          agent: {
            fixer: {
              permission: { bash: 'allow', edit: 'ask', external_directory: { '*': 'ask', '/tmp/*': 'allow' } }
            },
            other: {}
          }
        }
      })
    )
    // Never `ask`: in server mode nobody answers, and the review would hang.
    expect(config.agent.fixer.permission).toEqual({
      bash: 'allow',
      edit: 'deny',
      external_directory: { '*': 'deny', '/tmp/*': 'allow' },
      StructuredOutput: 'allow'
    })
    expect(config.agent.other.permission).toEqual(READ_ONLY_PERMISSION)
    expect(config.permission).toEqual(READ_ONLY_PERMISSION)
  })

  it('keeps the structured answer possible for an agent that denies everything', () => {
    const config = configOf(
      buildOpencodeConfig({
        ...base,
        agent: 'strict',
        allowAgentTools: true,
        config: { agent: { strict: { permission: 'deny' } } }
      })
    )
    // Without it OpenCode hides the tool the findings come back through, and the review has no findings.
    expect(config.agent.strict.permission).toEqual({ '*': 'deny', StructuredOutput: 'allow' })
    expect(READ_ONLY_PERMISSION.StructuredOutput).toBe('allow')
  })

  it('fails clearly for an agent nobody defined', () => {
    expect(() => buildOpencodeConfig({ ...base, agent: 'ghost' })).toThrow(
      "Input 'agent' names 'ghost', which is defined neither under \"agent\" in the 'config' input nor in .opencode/agent/ghost.md"
    )
  })

  it('takes the model from the config when the input is empty', () => {
    const setup = buildOpencodeConfig({ ...base, model: undefined, config: { model: 'openai/gpt-5' } })
    expect(setup.model).toBe('openai/gpt-5')
  })

  it('leaves the model to OpenCode when neither the input nor the config names one (the local command)', () => {
    const setup = buildOpencodeConfig({ ...base, model: undefined })
    expect(setup.model).toBeUndefined()
    expect(configOf(setup).model).toBeUndefined()
  })

  it('fails the action with how to set a model when there is none', () => {
    expect(() => requireModel({ config: {}, model: undefined })).toThrow(
      "No model to review with: set the input 'model'"
    )
    expect(requireModel({ config: { model: 'openai/gpt-5' }, model: undefined })).toBe('openai/gpt-5')
  })
})

describe('provider header limit', () => {
  it('bounds how long the review’s provider may take to send its response headers', () => {
    expect(configOf(buildOpencodeConfig(base)).provider).toEqual({
      anthropic: { options: { headerTimeout: PROVIDER_HEADER_TIMEOUT_MS } }
    })
  })

  it('covers the provider of the chosen agent’s own model too', () => {
    const config = configOf(
      buildOpencodeConfig({ ...base, agent: 'strict', config: { agent: { strict: { model: 'gateway/big' } } } })
    )
    expect(Object.keys(config.provider)).toEqual(['anthropic', 'gateway'])
    expect(config.provider.gateway.options.headerTimeout).toBe(PROVIDER_HEADER_TIMEOUT_MS)
  })

  it('covers the providers of the fallback and synthesis models', () => {
    const config = configOf(
      buildOpencodeConfig({
        ...base,
        fallbackModel: { providerID: 'openai', modelID: 'gpt-5' },
        synthesisModel: { providerID: 'gateway', modelID: 'small' }
      })
    )
    expect(Object.keys(config.provider).sort()).toEqual(['anthropic', 'gateway', 'openai'])
    expect(config.provider.openai.options.headerTimeout).toBe(PROVIDER_HEADER_TIMEOUT_MS)
  })

  it('keeps a limit the user set, or switched off', () => {
    const config = configOf(
      buildOpencodeConfig({
        ...base,
        config: { provider: { anthropic: { options: { headerTimeout: false, baseURL: 'https://proxy.example/v1' } } } }
      })
    )
    expect(config.provider.anthropic.options).toEqual({ headerTimeout: false, baseURL: 'https://proxy.example/v1' })
  })

  it('sets none when OpenCode picks the model (the local command without --model)', () => {
    expect(configOf(buildOpencodeConfig({ ...base, model: undefined })).provider).toEqual({})
  })
})

describe('serverEnvironment', () => {
  const always = {
    OPENCODE_DISABLE_PROJECT_CONFIG: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_SHARE: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1'
  }

  it('lets nothing of a pull request configure OpenCode, and runs no plugin at all in the action', () => {
    expect(serverEnvironment({ pullRequest: true, ownOpencode: false })).toEqual({
      ...always,
      OPENCODE_DISABLE_CLAUDE_CODE: '1',
      OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
      OPENCODE_PURE: '1'
    })
  })

  it('keeps the developer’s own plugins for a pull request reviewed with their setup', () => {
    expect(serverEnvironment({ pullRequest: true, ownOpencode: true })).toEqual({
      ...always,
      OPENCODE_DISABLE_CLAUDE_CODE: '1',
      OPENCODE_DISABLE_EXTERNAL_SKILLS: '1'
    })
  })

  it('keeps the developer’s whole setup for their own branch, but never the project’s opencode.json', () => {
    expect(serverEnvironment({ pullRequest: false, ownOpencode: true })).toEqual(always)
  })
})

describe('the workspace’s tools', () => {
  const source = { kind: 'commit' as const, gitDir: '/repo/.git', commit: 'c'.repeat(40) }

  it('are offered to every review, allowed, reading what they are given; OpenCode’s own file tools are not', () => {
    const config = configOf(
      buildOpencodeConfig({ ...base, config: { mcp: { docs: { type: 'remote', url: 'https://x' } } } }, source)
    )
    const [node, server, given] = config.mcp.workspace.command
    expect(node).toBe(process.execPath)
    expect(server).toMatch(/[/\\]workspace[/\\]index\.js$/)
    expect(JSON.parse(given)).toEqual(source)
    expect(config.mcp.workspace).toMatchObject({ type: 'local', enabled: true })
    expect(config.mcp.docs).toEqual({ type: 'remote', url: 'https://x' })
    for (const tool of ['workspace_read', 'workspace_list', 'workspace_glob', 'workspace_search']) {
      expect(config.permission[tool]).toBe('allow')
      expect(config.agent[REVIEWER_AGENT].permission[tool]).toBe('allow')
    }
    for (const tool of ['read', 'glob', 'list', 'grep', 'lsp']) expect(config.permission[tool]).toBe('deny')
  })

  it('cannot be pointed elsewhere or switched off by the user config', () => {
    const config = configOf(
      buildOpencodeConfig(
        { ...base, config: { mcp: { workspace: { type: 'local', command: ['sh'], enabled: false } } } },
        source
      )
    )
    expect(config.mcp.workspace.command[0]).toBe(process.execPath)
    expect(config.mcp.workspace.enabled).toBe(true)
  })

  it('are left out of a server that reads no code (the eval’s judge)', () => {
    expect(configOf(buildOpencodeConfig(base)).mcp).toEqual({})
  })
})

describe('language servers and formatters', () => {
  it('stay off, whatever the user config says: OpenCode would run a pull request’s node_modules/.bin', () => {
    const config = configOf(
      buildOpencodeConfig({ ...base, config: { lsp: { oxlint: { command: ['x'] } }, formatter: true } })
    )
    expect(config.lsp).toBe(false)
    expect(config.formatter).toBe(false)
  })
})
