import { describe, expect, it } from '@jest/globals'
import type * as github from '@actions/github'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import { FORKS_PAGE, requireProviderKeys } from '../../src/action/keys.js'
import type { ActionInputs } from '../../src/action/inputs.js'
import { parseModel } from '../../src/settings.js'

const inputs = (changes: Partial<ActionInputs> = {}) =>
  ({
    model: parseModel('anthropic/claude-sonnet-4-5'),
    fallbackModel: undefined,
    synthesisModel: undefined,
    agent: undefined,
    config: {},
    ...changes
  }) as ActionInputs

function context(payload = pullRequestEvent('opened'), actor = 'octocat'): typeof github.context {
  return {
    eventName: 'pull_request',
    payload,
    actor,
    repo: { owner: payload.repository.owner.login, repo: payload.repository.name }
  } as unknown as typeof github.context
}

const check =
  (changes: Partial<ActionInputs>, env: NodeJS.ProcessEnv, event = context()) =>
  () =>
    requireProviderKeys(inputs(changes), event, env)

describe('requireProviderKeys', () => {
  it("names the variable and the workflow line that gives it when the step's env lacks the key", () => {
    expect(check({}, {})).toThrow(
      "No key for anthropic/claude-sonnet-4-5: provider 'anthropic' reads it from ANTHROPIC_API_KEY, which is not set (checked: the environment, and the 'config' input has no apiKey for 'anthropic'). Add `ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}` under the action step's `env:` (beside its `with:`), and store the key as the repository secret ANTHROPIC_API_KEY (`gh secret set ANTHROPIC_API_KEY`)."
    )
  })

  it('passes with the key set, and for a provider that may need none', () => {
    expect(check({}, { ANTHROPIC_API_KEY: 'sk-ant-key' })).not.toThrow()
    expect(check({ model: parseModel('amazon-bedrock/anthropic.claude-sonnet-4-5') }, {})).not.toThrow()
  })

  it("checks the fallback model's provider, the synthesis model's and the agent's own, one line each", () => {
    const run = check(
      {
        fallbackModel: parseModel('openai/gpt-5'),
        agent: 'strict',
        config: { agent: { strict: { model: 'openrouter/anthropic/claude-sonnet-4.5' } } }
      },
      { ANTHROPIC_API_KEY: 'sk-ant-key' }
    )
    expect(run).toThrow(
      /^No key for openrouter\/anthropic\/claude-sonnet-4\.5: .*\nNo key for openai\/gpt-5: .*`OPENAI_API_KEY: \$\{\{ secrets\.OPENAI_API_KEY \}\}`/
    )
  })

  it('names the variable a config reads for its own provider', () => {
    const config = {
      model: 'gateway/m',
      provider: { gateway: { npm: '@ai-sdk/openai-compatible', options: { apiKey: '{env:GATEWAY_KEY}' } } }
    }
    expect(check({ model: undefined, config }, {})).toThrow(
      "No key for gateway/m: the 'config' input gives provider 'gateway' the apiKey {env:GATEWAY_KEY}, and GATEWAY_KEY is not set. Add `GATEWAY_KEY: ${{ secrets.GATEWAY_KEY }}`"
    )
  })

  it("says that GitHub gives a fork's pull_request no secrets, and where forks are reviewed", () => {
    const fork = context(pullRequestEvent('opened', { fork: 'someone/octo-repo' }))
    expect(check({}, {}, fork)).toThrow(
      `This run is for a pull request from the fork someone/octo-repo, and GitHub gives a fork's 'pull_request' run no secrets, so the key is empty whatever the workflow says. Review forks with 'pull_request_target' (${FORKS_PAGE})`
    )
    expect(check({}, {}, fork)).not.toThrow('under the action step')
  })

  it("says that Dependabot's runs get only Dependabot's secrets", () => {
    expect(check({}, {}, context(pullRequestEvent('opened'), 'dependabot[bot]'))).toThrow(
      '`gh secret set NAME --app dependabot`'
    )
  })
})
