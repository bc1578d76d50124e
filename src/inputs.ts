import * as core from '@actions/core'
import { CONVENTION_SOURCES, type ConventionSource } from './conventions/select.js'
import { DEFAULTS } from './defaults.js'
import { ActionError, errorMessage } from './errors.js'
import { isSeverity, SEVERITIES, type Severity } from './domain/finding.js'

export const COMMENT_MODES = ['review', 'sticky', 'comment'] as const
export type CommentMode = (typeof COMMENT_MODES)[number]

/** How the review is posted: never an approval. */
export const REVIEW_EVENTS = ['comment', 'request-changes'] as const
export type ReviewEvent = (typeof REVIEW_EVENTS)[number]

const REVIEW_SCOPES = ['incremental', 'full'] as const
export type ReviewScope = (typeof REVIEW_SCOPES)[number]

export interface ModelRef {
  providerID: string
  modelID: string
}

/** `provider/model`, as users write it and logs show it. */
export function modelName(model: ModelRef): string {
  return `${model.providerID}/${model.modelID}`
}

export interface ActionInputs {
  /** Undefined: use the model named by the OpenCode config. */
  model: ModelRef | undefined
  /** Reviews once more with it when the model's provider fails. */
  fallbackModel: ModelRef | undefined
  /** Merges the parts of a split review; undefined: `model`. */
  synthesisModel: ModelRef | undefined
  /** A BCP 47 tag the summary and findings are written in; undefined: the model's choice. */
  language: string | undefined
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
  /** The summary opens with a table of what changed, written by the model in the same answer. */
  walkthrough: boolean
  /** The same table goes into the pull request's description, between hidden markers. */
  describe: boolean
  /** The kinds of the repository's convention files given to the model, read from the base commit; empty: none. */
  conventions: ConventionSource[]
  /** Resolve this action's threads once outdated, unanswered and not found again. */
  resolveOutdated: boolean
  /** Findings below it are dropped. */
  minSeverity: Severity
  /** A posted finding at or above it fails the step; undefined: never. */
  failOn: Severity | undefined
  /** `request-changes`: a review whose findings reach `failOn` requests changes, a later one below it dismisses them. */
  reviewEvent: ReviewEvent
  /** Undefined: incremental on a push to the pull request, full otherwise. */
  reviewScope: ReviewScope | undefined
  triggerPhrase: string
  /** Adding this label to a pull request runs a review; undefined: labels run nothing. */
  triggerLabel: string | undefined
  skipAuthors: string[]
  skipLabels: string[]
}

/** `provider/model`; the model part may itself hold slashes (`openrouter/anthropic/claude-sonnet-4`). `what` names it in the error. */
export function parseModel(value: string, what = "Input 'model'"): ModelRef {
  const match = /^([A-Za-z0-9][\w.-]*)\/(\S+)$/.exec(value.trim())
  if (!match) {
    throw new ActionError(
      `${what} must look like 'provider/model' (for example 'anthropic/claude-sonnet-4-5'), got '${value}'.`
    )
  }
  return { providerID: match[1], modelID: match[2] }
}

/** A language tag shaped like BCP 47 (`de`, `ja`, `pt-BR`, `zh-Hant`): checked loosely, the model reads it. */
export function parseLanguage(value: string, what: string): string {
  const tag = value.trim()
  if (!/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(tag))
    throw new ActionError(`${what} must be a language tag such as 'de', 'ja' or 'pt-BR', got '${value}'.`)
  return tag
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

/** `true`: every kind of convention file; `false`: none; else the kinds listed, one per line or comma-separated. */
export function parseConventionSources(raw: string, what: string): ConventionSource[] {
  const value = raw.trim().toLowerCase()
  if (['true', 'yes', 'on', '1'].includes(value)) return [...CONVENTION_SOURCES]
  if (['false', 'no', 'off', '0', 'none'].includes(value)) return []
  const listed = value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  const unknown = listed.filter((entry) => !(CONVENTION_SOURCES as readonly string[]).includes(entry))
  if (unknown.length || listed.length === 0)
    throw new ActionError(
      `${what} must be 'true', 'false' or a list of ${CONVENTION_SOURCES.join(', ')}, got '${raw.trim()}'.`
    )
  return CONVENTION_SOURCES.filter((source) => listed.includes(source))
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
  const fallbackModel = optionalString('fallback-model')
  const synthesisModel = optionalString('synthesis-model')
  const language = optionalString('language')
  const failOn = severityOrNone('fail-on', DEFAULTS['fail-on'])
  const reviewEvent = oneOf('review-event', REVIEW_EVENTS, DEFAULTS['review-event'])
  if (reviewEvent === 'request-changes' && !failOn)
    throw new ActionError(
      "Input 'review-event' is 'request-changes' but 'fail-on' is 'none': set 'fail-on' to the severity that requests changes."
    )
  return {
    model: model === undefined ? undefined : parseModel(model),
    fallbackModel: fallbackModel === undefined ? undefined : parseModel(fallbackModel, "Input 'fallback-model'"),
    synthesisModel: synthesisModel === undefined ? undefined : parseModel(synthesisModel, "Input 'synthesis-model'"),
    language: language === undefined ? undefined : parseLanguage(language, "Input 'language'"),
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
    walkthrough: booleanInput('walkthrough', DEFAULTS.walkthrough),
    describe: booleanInput('describe', DEFAULTS.describe),
    resolveOutdated: booleanInput('resolve-outdated', DEFAULTS['resolve-outdated']),
    conventions: parseConventionSources(
      core.getInput('conventions') || String(DEFAULTS.conventions),
      "Input 'conventions'"
    ),
    minSeverity: oneOf('min-severity', SEVERITIES, DEFAULTS['min-severity']),
    failOn,
    reviewEvent,
    reviewScope: oneOf('review-scope', REVIEW_SCOPES, undefined),
    triggerPhrase: core.getInput('trigger-phrase').trim() || DEFAULTS['trigger-phrase'],
    triggerLabel: optionalString('trigger-label'),
    skipAuthors: listInput('skip-authors'),
    skipLabels: listInput('skip-labels')
  }
}
