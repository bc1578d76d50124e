import { describe, expect, it } from '@jest/globals'
import { credentialVariables, describeMissingKey, missingKeys, providersOf } from '../../src/opencode/credentials.js'
import { buildOpencodeConfig, modelsAsked } from '../../src/opencode/config.js'

const ANTHROPIC = 'anthropic/claude-sonnet-4-5'

describe('providersOf', () => {
  it('takes the provider of each provider/model once, a model holding slashes included', () => {
    expect(
      providersOf([ANTHROPIC, 'openrouter/anthropic/claude-sonnet-4.5', 'anthropic/x', undefined, 'bare'])
    ).toEqual(['anthropic', 'openrouter'])
  })
})

describe('credentialVariables', () => {
  it("names the providers' own variables and those the config reads as {env:NAME}", () => {
    const config = { provider: { gateway: { options: { apiKey: '{env:GATEWAY_KEY}', baseURL: '{env:GATEWAY_URL}' } } } }
    expect(credentialVariables(config, ['anthropic', 'amazon-bedrock', 'gateway'])).toEqual([
      'ANTHROPIC_API_KEY',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_REGION',
      'AWS_BEARER_TOKEN_BEDROCK',
      // A role's temporary credentials: Bedrock's SDK reads it, OpenCode's list does not name it.
      'AWS_SESSION_TOKEN',
      'GATEWAY_KEY',
      'GATEWAY_URL'
    ])
  })
})

describe("the setup's credentials", () => {
  const base = {
    config: {},
    model: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' },
    agent: undefined,
    allowAgentTools: false
  }

  it("keep the providers of the model, the agent's own, the fallback's, the synthesis', the small model's and the config's", () => {
    const setup = buildOpencodeConfig({
      ...base,
      agent: 'strict',
      fallbackModel: { providerID: 'openai', modelID: 'gpt-5' },
      synthesisModel: { providerID: 'google', modelID: 'gemini-3-pro' },
      config: {
        small_model: 'groq/llama',
        agent: { strict: { model: 'openrouter/anthropic/claude-sonnet-4.5' } },
        provider: { gateway: { options: { apiKey: '{env:GATEWAY_KEY}' } } }
      }
    })
    expect(setup.credentials.sort()).toEqual(
      [
        'ANTHROPIC_API_KEY',
        'OPENROUTER_API_KEY',
        'OPENAI_API_KEY',
        'GOOGLE_API_KEY',
        'GOOGLE_GENERATIVE_AI_API_KEY',
        'GEMINI_API_KEY',
        'GROQ_API_KEY',
        'GATEWAY_KEY'
      ].sort()
    )
  })

  it('keep nothing of a provider no model of the run names', () => {
    expect(buildOpencodeConfig(base).credentials).toEqual(['ANTHROPIC_API_KEY'])
  })

  it('are asked for by the model of the config when the input names none', () => {
    expect(modelsAsked({ ...base, model: undefined, config: { model: 'openai/gpt-5' } })).toEqual(['openai/gpt-5'])
  })
})

describe('missingKeys', () => {
  const missing = (models: string[], env: NodeJS.ProcessEnv, config: Record<string, unknown> = {}) =>
    missingKeys(models, config, env)

  it("names the model and the variable when the provider's only key variable is not set, or empty", () => {
    const expected = [{ model: ANTHROPIC, provider: 'anthropic', variables: ['ANTHROPIC_API_KEY'], fromConfig: false }]
    expect(missing([ANTHROPIC], {})).toEqual(expected)
    expect(missing([ANTHROPIC], { ANTHROPIC_API_KEY: '  ' })).toEqual(expected)
    expect(missing([ANTHROPIC], { ANTHROPIC_API_KEY: 'sk-ant-1' })).toEqual([])
  })

  it('tells each provider once, the fallback and the synthesis models too', () => {
    const models = [ANTHROPIC, 'anthropic/claude-haiku-4-5', 'openai/gpt-5']
    expect(missing(models, { ANTHROPIC_API_KEY: 'k' }).map((key) => key.model)).toEqual(['openai/gpt-5'])
    expect(missing(models, {}).map((key) => key.model)).toEqual([ANTHROPIC, 'openai/gpt-5'])
  })

  it("takes any one of several key variables (Google's three), naming first the one its SDK reads", () => {
    expect(missing(['google/gemini-3-pro'], {})[0].variables).toEqual([
      'GOOGLE_GENERATIVE_AI_API_KEY',
      'GOOGLE_API_KEY',
      'GEMINI_API_KEY'
    ])
    expect(missing(['google/gemini-3-pro'], { GEMINI_API_KEY: 'k' })).toEqual([])
  })

  it('never refuses a provider that may get in without a key variable: a role, a cloud login, a resource name', () => {
    for (const model of [
      'amazon-bedrock/anthropic.claude',
      'google-vertex/gemini-3-pro',
      'azure/gpt-5',
      'databricks/x'
    ])
      expect(missing([model], {})).toEqual([])
  })

  it('never refuses free models, a server on this machine, a provider it does not know, nor GitHub’s token', () => {
    for (const model of ['opencode/big-pickle', 'lmstudio/qwen', 'my-gateway/model', 'github-copilot/gpt-5'])
      expect(missing([model], {})).toEqual([])
  })

  it("takes the config's own apiKey for the key, unless it reads a variable that is not set", () => {
    const config = (apiKey: unknown) => ({ provider: { anthropic: { options: { apiKey } } } })
    expect(missing([ANTHROPIC], {}, config('sk-literal'))).toEqual([])
    expect(missing([ANTHROPIC], {}, config('{file:~/.anthropic-key}'))).toEqual([])
    expect(missing([ANTHROPIC], { MY_KEY: 'k' }, config('{env:MY_KEY}'))).toEqual([])
    expect(missing([ANTHROPIC], { ANTHROPIC_API_KEY: 'k' }, config('{env:MY_KEY}'))).toEqual([
      { model: ANTHROPIC, provider: 'anthropic', variables: ['MY_KEY'], fromConfig: true }
    ])
    const gateway = { provider: { gateway: { options: { apiKey: '{env:GATEWAY_KEY}' } } } }
    expect(missing(['gateway/m'], {}, gateway)).toEqual([
      { model: 'gateway/m', provider: 'gateway', variables: ['GATEWAY_KEY'], fromConfig: true }
    ])
  })

  it('says what is missing and what was checked', () => {
    const [google] = missing(['google/gemini-3-pro'], {})
    expect(describeMissingKey(google, 'your config')).toBe(
      "No key for google/gemini-3-pro: provider 'google' reads it from any of GOOGLE_GENERATIVE_AI_API_KEY, GOOGLE_API_KEY or GEMINI_API_KEY, none of which is set (checked: the environment, and your config has no apiKey for 'google')."
    )
  })

  it('takes a login OpenCode keeps for the provider', () => {
    expect(missingKeys([ANTHROPIC], {}, {}, (provider) => provider === 'anthropic')).toEqual([])
  })
})
