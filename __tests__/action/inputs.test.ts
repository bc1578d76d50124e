import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { readActionMetadata } from '../../__fixtures__/action-metadata.js'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readInputs } = await import('../../src/action/inputs.js')
const { parseConfig, parseModel } = await import('../../src/settings.js')
const { DEFAULTS, OUTPUTS } = await import('../../src/defaults.js')

const required = { 'github-token': 'ghs_token', model: 'anthropic/claude-sonnet-4-5' }

describe('readInputs', () => {
  beforeEach(() => core.useInputs(required))

  it('applies the documented defaults', () => {
    expect(readInputs()).toEqual({
      model: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' },
      fallbackModel: undefined,
      synthesisModel: undefined,
      language: undefined,
      githubToken: 'ghs_token',
      prNumber: undefined,
      prompt: '',
      config: {},
      opencodeVersion: DEFAULTS['opencode-version'],
      commentMode: 'review',
      exclude: [],
      maxDiffChars: 150_000,
      maxTotalChars: 2_000_000,
      maxSessions: 4,
      startupTimeoutMs: 60_000,
      reviewTimeoutMs: 600_000,
      skipDrafts: true,
      agent: undefined,
      variant: undefined,
      allowAgentTools: false,
      inlineComments: true,
      maxFindings: 10,
      verify: false,
      walkthrough: true,
      describe: false,
      conventions: ['opencode-review', 'agents-md', 'claude-md', 'copilot-instructions', 'path-instructions'],
      resolveOutdated: true,
      minSeverity: 'low',
      minConfidence: 0,
      failOn: undefined,
      reviewEvent: 'comment',
      reviewScope: undefined,
      checkRun: true,
      triggerPhrase: '/review',
      triggerLabel: undefined,
      skipAuthors: [],
      skipLabels: [],
      learn: true,
      learningsLabel: 'opencode-review-learnings'
    })
  })

  it('masks the token', () => {
    readInputs()
    expect(core.setSecret).toHaveBeenCalledWith('ghs_token')
  })

  it('parses every input', () => {
    core.useInputs({
      ...required,
      model: 'openrouter/anthropic/claude-sonnet-4',
      'fallback-model': 'openai/gpt-5',
      'synthesis-model': 'anthropic/claude-haiku-4-5',
      language: ' pt-BR ',
      'pr-number': '#42',
      prompt: '  Focus on SQL.  ',
      config: '{"provider": {"x": {}}}',
      'opencode-version': 'latest',
      'comment-mode': 'Sticky',
      exclude: 'dist/**\n# a comment\n\n!Cargo.lock',
      'max-diff-chars': '5000',
      'max-total-chars': '90000',
      'max-sessions': '2',
      'startup-timeout': '5',
      'review-timeout': '30',
      'skip-drafts': 'false',
      agent: 'security',
      variant: 'high',
      'allow-agent-tools': 'true',
      'inline-comments': 'false',
      'max-findings': '3',
      verify: 'true',
      walkthrough: 'false',
      describe: 'yes',
      conventions: 'path-instructions\n AGENTS-md ',
      'resolve-outdated': 'false',
      'min-severity': 'NIT',
      'min-confidence': ' 0.65 ',
      'fail-on': 'high',
      'review-event': 'Request-Changes',
      'review-scope': 'full',
      'check-run': 'false',
      'trigger-phrase': '@opencode review',
      'trigger-label': ' AI review ',
      'skip-authors': 'dependabot[bot], renovate[bot]\n*-bot',
      'skip-labels': 'no-review',
      learn: 'false',
      'learnings-label': ' team-learnings '
    })
    expect(readInputs()).toMatchObject({
      model: { providerID: 'openrouter', modelID: 'anthropic/claude-sonnet-4' },
      fallbackModel: { providerID: 'openai', modelID: 'gpt-5' },
      synthesisModel: { providerID: 'anthropic', modelID: 'claude-haiku-4-5' },
      language: 'pt-BR',
      prNumber: 42,
      prompt: 'Focus on SQL.',
      config: { provider: { x: {} } },
      opencodeVersion: 'latest',
      commentMode: 'sticky',
      exclude: ['dist/**', '!Cargo.lock'],
      maxDiffChars: 5000,
      maxTotalChars: 90_000,
      maxSessions: 2,
      startupTimeoutMs: 5000,
      reviewTimeoutMs: 30_000,
      skipDrafts: false,
      agent: 'security',
      variant: 'high',
      allowAgentTools: true,
      inlineComments: false,
      maxFindings: 3,
      verify: true,
      walkthrough: false,
      describe: true,
      conventions: ['agents-md', 'path-instructions'],
      resolveOutdated: false,
      minSeverity: 'nit',
      minConfidence: 0.65,
      failOn: 'high',
      reviewEvent: 'request-changes',
      reviewScope: 'full',
      checkRun: false,
      triggerPhrase: '@opencode review',
      triggerLabel: 'AI review',
      skipAuthors: ['dependabot[bot]', 'renovate[bot]', '*-bot'],
      skipLabels: ['no-review'],
      learn: false,
      learningsLabel: 'team-learnings'
    })
  })

  it.each([
    [{ model: 'claude-sonnet' }, "Input 'model' must look like 'provider/model'"],
    [{ model: 'anthropic/' }, "Input 'model' must look like 'provider/model'"],
    [{ 'fallback-model': 'gpt-5' }, "Input 'fallback-model' must look like 'provider/model'"],
    [{ 'synthesis-model': 'haiku' }, "Input 'synthesis-model' must look like 'provider/model'"],
    [{ language: 'German!' }, "Input 'language' must be a language tag such as 'de', 'ja' or 'pt-BR', got 'German!'"],
    [{ language: 'pt_BR' }, "Input 'language' must be a language tag"],
    [{ 'github-token': '' }, "Input 'github-token' is empty"],
    [{ 'pr-number': 'abc' }, "Input 'pr-number' must be a pull request number"],
    [{ 'pr-number': '0' }, "Input 'pr-number' must be a pull request number"],
    [{ config: '{"a":' }, "Input 'config' is not valid JSON"],
    [{ config: '[1]' }, "Input 'config' must be a JSON object"],
    [{ 'comment-mode': 'inline' }, "Input 'comment-mode' must be one of review, sticky, comment"],
    [{ 'max-diff-chars': '-1' }, "Input 'max-diff-chars' must be a positive whole number"],
    [{ 'max-sessions': '0' }, "Input 'max-sessions' must be a positive whole number"],
    [{ 'review-timeout': '1.5' }, "Input 'review-timeout' must be a positive whole number"],
    [{ 'max-findings': '0' }, "Input 'max-findings' must be a positive whole number"],
    [{ verify: 'sometimes' }, "Input 'verify' must be 'true' or 'false'"],
    [
      { conventions: 'agents-md, cursor-rules' },
      "Input 'conventions' must be 'true', 'false' or a list of opencode-review, agents-md, claude-md, copilot-instructions, path-instructions, got 'agents-md, cursor-rules'"
    ],
    [{ 'skip-drafts': 'maybe' }, "Input 'skip-drafts' must be 'true' or 'false'"],
    [
      { 'min-severity': 'severe' },
      "Input 'min-severity' must be one of critical, high, medium, low, nit, got 'severe'"
    ],
    [{ 'min-confidence': '80' }, "Input 'min-confidence' must be a number from 0 to 1, such as 0.6, got '80'"],
    [{ 'min-confidence': 'high' }, "Input 'min-confidence' must be a number from 0 to 1"],
    [{ 'fail-on': 'warning' }, "Input 'fail-on' must be one of critical, high, medium, low, nit, none"],
    [{ 'review-scope': 'partial' }, "Input 'review-scope' must be one of incremental, full"],
    [{ 'review-event': 'approve' }, "Input 'review-event' must be one of comment, request-changes"],
    [{ 'review-event': 'request-changes' }, "Input 'review-event' is 'request-changes' but 'fail-on' is 'none'"]
  ])('rejects %j with a clear message', (bad, message) => {
    core.useInputs({ ...required, ...bad })
    expect(() => readInputs()).toThrow(message)
  })

  it('turns the conventions off with false', () => {
    core.useInputs({ ...required, conventions: 'false' })
    expect(readInputs().conventions).toEqual([])
  })

  it('leaves the model to the config when the input is empty', () => {
    core.useInputs({ 'github-token': 't' })
    expect(readInputs().model).toBeUndefined()
  })
})

describe('parseModel', () => {
  it('splits at the first slash', () => {
    expect(parseModel('fake/review-model')).toEqual({ providerID: 'fake', modelID: 'review-model' })
  })
})

describe('parseConfig', () => {
  it('treats empty as no config', () => {
    expect(parseConfig('  ')).toEqual({})
  })
})

describe('action.yml', () => {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

  it('pins the same OpenCode version as the code and package.json', () => {
    const { inputs } = readActionMetadata()
    expect(inputs['opencode-version'].default).toBe(DEFAULTS['opencode-version'])
    // OpenCode's packages (its SDK, opencode-ai, a platform binary), in whichever dependency list holds them.
    const opencodePackages = Object.entries<string>({
      ...packageJson.dependencies,
      ...packageJson.devDependencies,
      ...packageJson.optionalDependencies
    }).filter(([name]) => /^(?:@opencode-ai\/|opencode-)/.test(name))
    expect(opencodePackages).not.toEqual([])
    expect(opencodePackages).toEqual(opencodePackages.map(([name]) => [name, DEFAULTS['opencode-version']]))
  })

  it("holds exactly the code's DEFAULTS as defaults, and its OUTPUTS as outputs", () => {
    const { inputs, outputs } = readActionMetadata()
    // The token's default is the runner's expression, not a value the code could hold.
    const declared = Object.entries(inputs).flatMap(([name, input]) =>
      input.default === undefined || name === 'github-token' ? [] : [[name, input.default]]
    )
    expect(Object.fromEntries(declared)).toEqual(
      Object.fromEntries(Object.entries(DEFAULTS).map(([name, value]) => [name, String(value)]))
    )
    expect(Object.keys(outputs)).toEqual([...OUTPUTS])
  })

  it('declares every input the code reads', () => {
    const { inputs } = readActionMetadata()
    const read = new Set<string>()
    core.getInput.mockImplementation((name) => {
      read.add(name)
      return required[name as keyof typeof required] ?? ''
    })
    core.getMultilineInput.mockImplementation((name) => {
      read.add(name)
      return []
    })
    readInputs()
    expect([...read].sort()).toEqual(Object.keys(inputs).sort())
  })

  it('gives as defaults what the code falls back to on an empty input', () => {
    const { inputs } = readActionMetadata()
    // An expression (`${{ github.token }}`) is the runner's to fill in; the tests give the token.
    const literalDefaults = Object.fromEntries(
      Object.entries(inputs).flatMap(([name, input]) =>
        input.default === undefined || input.default.includes('${{') ? [] : [[name, input.default]]
      )
    )
    core.useInputs(required)
    const fallbacks = readInputs()
    core.useInputs({ ...literalDefaults, ...required })
    expect(readInputs()).toEqual(fallbacks)
  })
})
