import { describe, expect, it } from '@jest/globals'
import { scrubEnvironment, secretValuesIn } from '../../src/opencode/environment.js'

const runner = {
  PATH: '/usr/bin',
  HOME: '/home/runner',
  GITHUB_WORKSPACE: '/work',
  GITHUB_REPOSITORY: 'o/r',
  GITHUB_TOKEN: 'ghs_secret',
  GH_TOKEN: 'ghs_secret',
  MY_COPY: 'prefix-ghs_secret',
  INPUT_GITHUB_TOKEN: 'ghs_secret',
  INPUT_MODEL: 'a/b',
  ACTIONS_RUNTIME_TOKEN: 'rt',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc',
  GITHUB_OUTPUT: '/tmp/out',
  GITHUB_ENV: '/tmp/env',
  GITHUB_STATE: '/tmp/state',
  ANTHROPIC_API_KEY: 'sk-ant-123456789',
  OPENAI_API_KEY: 'sk-openai-123456789',
  RUNNER_TEMP: '/tmp/runner',
  OPENCODE_CONFIG: '/work/opencode.json',
  OPENCODE_PERMISSION: '{"bash":"allow"}',
  OPENCODE_API_KEY: 'zen-key-123456789',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-123456789',
  GATEWAY_TOKEN: 'gw-key-123456789',
  GATEWAY_KEY: 'gw-other-123456789',
  CLARIFAI_PAT: 'clarifai-pat-123456789',
  TOKENIZER_PATH: '/models/tokenizer.json'
}

describe('scrubEnvironment', () => {
  // As the action calls it: every credential-like value is a secret (main.ts), the run's providers' variables are kept.
  const secrets = ['ghs_secret', ...secretValuesIn(runner)]
  const scrubbed = scrubEnvironment(runner, secrets, false, ['ANTHROPIC_API_KEY'])

  it('keeps what a server needs and its provider’s key, nothing of the runner’s, no other credential nor any OpenCode setting', () => {
    expect(scrubbed).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      TOKENIZER_PATH: '/models/tokenizer.json',
      ANTHROPIC_API_KEY: 'sk-ant-123456789'
    })
  })

  it('drops the provider’s key too when it is not among the run’s credentials (the defect of every earlier commit)', () => {
    expect(scrubEnvironment(runner, secrets, false, [])).not.toHaveProperty('ANTHROPIC_API_KEY')
  })

  it('keeps the variables a config reads and an OpenCode credential, never the runner’s whatever the config names', () => {
    const kept = scrubEnvironment(runner, secrets, false, [
      'GATEWAY_TOKEN',
      'OPENCODE_API_KEY',
      'GITHUB_TOKEN',
      'INPUT_MODEL'
    ])
    expect(kept).toMatchObject({ GATEWAY_TOKEN: 'gw-key-123456789', OPENCODE_API_KEY: 'zen-key-123456789' })
    expect(Object.keys(kept).sort()).toEqual(['GATEWAY_TOKEN', 'HOME', 'OPENCODE_API_KEY', 'PATH', 'TOKENIZER_PATH'])
  })

  it('keeps a developer’s own OpenCode settings, but never a permission laid over the reviewer’s', () => {
    const own = scrubEnvironment(runner, secrets, true, [])
    expect(own.OPENCODE_CONFIG).toBe('/work/opencode.json')
    expect(own).not.toHaveProperty('OPENCODE_PERMISSION')
  })

  it('drops every variable that holds the token, under any name', () => {
    expect(Object.values(scrubbed).some((value) => value.includes('ghs_secret'))).toBe(false)
  })
})

describe('secretValuesIn', () => {
  it('collects the values of credential-like names, long enough to redact safely', () => {
    expect(new Set(secretValuesIn(runner))).toEqual(
      new Set([
        'ghs_secret',
        'sk-ant-123456789',
        'sk-openai-123456789',
        'zen-key-123456789',
        'aws-secret-123456789',
        'gw-key-123456789',
        'gw-other-123456789',
        'clarifai-pat-123456789'
      ])
    )
  })
})
