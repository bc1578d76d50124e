import * as core from '@actions/core'
import { DEFAULTS } from './defaults.js'
import { ActionError, errorMessage } from './errors.js'
import { isSeverity, SEVERITIES, type Severity } from './review/findings.js'

export const COMMENT_MODES = ['review', 'sticky', 'comment'] as const
export type CommentMode = (typeof COMMENT_MODES)[number]

const REVIEW_SCOPES = ['incremental', 'full'] as const
export type ReviewScope = (typeof REVIEW_SCOPES)[number]

export interface ModelRef {
  providerID: string
  modelID: string
}

export interface ActionInputs {
  /** Undefined: use the model named by the OpenCode config. */
  model: ModelRef | undefined
  githubToken: string
  prNumber: number | undefined
  prompt: string
  config: Record<string, unknown>
  opencodeVersion: string
  commentMode: CommentMode
  /** User patterns, applied after the built-in exclusions; `!pattern` re-includes. */
  exclude: string[]
  /** Characters of diff one session reviews; a larger diff is split into parts. */
  maxDiffChars: number
  /** Characters of diff reviewed in all: what caps the spend. */
  maxTotalChars: number
  maxSessions: number
  startupTimeoutMs: number
  reviewTimeoutMs: number
  skipDrafts: boolean
  agent: string | undefined
  variant: string | undefined
  allowAgentTools: boolean
  inlineComments: boolean
  /** New findings posted at most, the most severe. */
  maxFindings: number
  /** A second message asks the model to check its findings; those it does not stand by are dropped. */
  verify: boolean
  /** Resolve this action's threads once outdated, unanswered and not found again. */
  resolveOutdated: boolean
  /** Findings below it are dropped. */
  minSeverity: Severity
  /** A posted finding at or above it fails the step; undefined: never. */
  failOn: Severity | undefined
  /** Undefined: incremental on a push to the pull request, full otherwise. */
  reviewScope: ReviewScope | undefined
  triggerPhrase: string
  skipAuthors: string[]
  skipLabels: string[]
}

/** `provider/model`; the model part may itself hold slashes (`openrouter/anthropic/claude-sonnet-4`). */
export function parseModel(value: string): ModelRef {
  const match = /^([A-Za-z0-9][\w.-]*)\/(\S+)$/.exec(value.trim())
  if (!match) {
    throw new ActionError(
      `Input 'model' must look like 'provider/model' (for example 'anthropic/claude-sonnet-4-5'), got '${value}'.`
    )
  }
  return { providerID: match[1], modelID: match[2] }
}

export function parseConfig(value: string): Record<string, unknown> {
  if (value.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (error) {
    throw new ActionError(`Input 'config' is not valid JSON: ${errorMessage(error)}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ActionError(
      `Input 'config' must be a JSON object such as {"provider": {...}}, got ${JSON.stringify(parsed)}.`
    )
  }
  return parsed as Record<string, unknown>
}

/** `raw` as a positive whole number; `what` names it in the error (`Input 'max-sessions'`, `--max-sessions`). */
export function positiveWholeNumber(raw: string, what: string): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0)
    throw new ActionError(`${what} must be a positive whole number, got '${raw}'.`)
  return value
}

/** `raw` if it is one of `choices`; `what` names it in the error. */
export function oneOfChoices<T extends string>(raw: string, choices: readonly T[], what: string): T {
  if (!(choices as readonly string[]).includes(raw))
    throw new ActionError(`${what} must be one of ${choices.join(', ')}, got '${raw}'.`)
  return raw as T
}

function positiveInteger(name: string, fallback: number): number {
  const raw = core.getInput(name).trim()
  return raw === '' ? fallback : positiveWholeNumber(raw, `Input '${name}'`)
}

function optionalString(name: string): string | undefined {
  return core.getInput(name).trim() || undefined
}

function booleanInput(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase()
  if (raw === '') return fallback
  if (['true', 'yes', 'on', '1'].includes(raw)) return true
  if (['false', 'no', 'off', '0'].includes(raw)) return false
  throw new ActionError(`Input '${name}' must be 'true' or 'false', got '${raw}'.`)
}

function oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T
function oneOf<T extends string>(name: string, choices: readonly T[], fallback: undefined): T | undefined
function oneOf<T extends string>(name: string, choices: readonly T[], fallback: T | undefined): T | undefined {
  const raw = core.getInput(name).trim().toLowerCase()
  return raw === '' ? fallback : oneOfChoices(raw, choices, `Input '${name}'`)
}

function severityOrNone(name: string, fallback: Severity | 'none'): Severity | undefined {
  const value = oneOf(name, [...SEVERITIES, 'none'], fallback)
  return isSeverity(value) ? value : undefined
}

/** Entries one per line or separated by commas. */
function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}

function prNumber(): number | undefined {
  const raw = core.getInput('pr-number').trim().replace(/^#/, '')
  if (raw === '') return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) {
    throw new ActionError(`Input 'pr-number' must be a pull request number such as 42, got '${raw}'.`)
  }
  return value
}

/** Reads and validates every input once, before anything is started. */
export function readInputs(): ActionInputs {
  const githubToken = core.getInput('github-token').trim()
  if (githubToken === '') {
    throw new ActionError(
      "Input 'github-token' is empty: pass `github-token: ${{ github.token }}` or a token that can comment on pull requests."
    )
  }
  core.setSecret(githubToken)
  const model = optionalString('model')
  return {
    model: model === undefined ? undefined : parseModel(model),
    githubToken,
    prNumber: prNumber(),
    prompt: core.getInput('prompt').trim(),
    config: parseConfig(core.getInput('config')),
    opencodeVersion: optionalString('opencode-version') ?? DEFAULTS['opencode-version'],
    commentMode: oneOf('comment-mode', COMMENT_MODES, DEFAULTS['comment-mode']),
    exclude: core
      .getMultilineInput('exclude')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
    maxDiffChars: positiveInteger('max-diff-chars', DEFAULTS['max-diff-chars']),
    maxTotalChars: positiveInteger('max-total-chars', DEFAULTS['max-total-chars']),
    maxSessions: positiveInteger('max-sessions', DEFAULTS['max-sessions']),
    startupTimeoutMs: positiveInteger('startup-timeout', DEFAULTS['startup-timeout']) * 1000,
    reviewTimeoutMs: positiveInteger('review-timeout', DEFAULTS['review-timeout']) * 1000,
    skipDrafts: booleanInput('skip-drafts', DEFAULTS['skip-drafts']),
    agent: optionalString('agent'),
    variant: optionalString('variant'),
    allowAgentTools: booleanInput('allow-agent-tools', DEFAULTS['allow-agent-tools']),
    inlineComments: booleanInput('inline-comments', DEFAULTS['inline-comments']),
    maxFindings: positiveInteger('max-findings', DEFAULTS['max-findings']),
    verify: booleanInput('verify', DEFAULTS.verify),
    resolveOutdated: booleanInput('resolve-outdated', DEFAULTS['resolve-outdated']),
    minSeverity: oneOf('min-severity', SEVERITIES, DEFAULTS['min-severity']),
    failOn: severityOrNone('fail-on', DEFAULTS['fail-on']),
    reviewScope: oneOf('review-scope', REVIEW_SCOPES, undefined),
    triggerPhrase: core.getInput('trigger-phrase').trim() || DEFAULTS['trigger-phrase'],
    skipAuthors: listInput('skip-authors'),
    skipLabels: listInput('skip-labels')
  }
}
