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
  OPENCODE_PERMISSION: '{"bash":"allow"}'
}

describe('scrubEnvironment', () => {
  const scrubbed = scrubEnvironment(runner, ['ghs_secret'], false)

  it('keeps what a server needs and the provider keys, nothing of the runner’s nor any OpenCode setting', () => {
    expect(scrubbed).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      ANTHROPIC_API_KEY: 'sk-ant-123456789',
      OPENAI_API_KEY: 'sk-openai-123456789'
    })
  })

  it('keeps a developer’s own OpenCode settings, but never a permission laid over the reviewer’s', () => {
    const own = scrubEnvironment(runner, ['ghs_secret'], true)
    expect(own.OPENCODE_CONFIG).toBe('/work/opencode.json')
    expect(own).not.toHaveProperty('OPENCODE_PERMISSION')
  })

  it('drops every variable that holds the token, under any name', () => {
    expect(Object.values(scrubbed).some((value) => value.includes('ghs_secret'))).toBe(false)
  })
})

describe('secretValuesIn', () => {
  it('collects the values of credential-like names, long enough to redact safely', () => {
    expect(new Set(secretValuesIn(runner))).toEqual(new Set(['ghs_secret', 'sk-ant-123456789', 'sk-openai-123456789']))
  })
})
