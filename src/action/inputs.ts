import * as core from '@actions/core'
import { DEFAULTS } from '../defaults.js'
import { ActionError } from '../errors.js'
import { isSeverity, SEVERITIES, type Severity } from '../domain/finding.js'
import {
  COMMENT_MODES,
  confidenceThreshold,
  oneOfChoices,
  parseConfig,
  parseConventionSources,
  parseLanguage,
  parseModel,
  positiveWholeNumber,
  REVIEW_EVENTS,
  REVIEW_SCOPES,
  type ReviewSettings
} from '../settings.js'

/** The step's inputs, read and validated once, before anything is started: the review's settings and what only the action needs. */

export interface ActionInputs extends ReviewSettings {
  githubToken: string
  prNumber: number | undefined
  triggerPhrase: string
  /** Adding this label to a pull request runs a review; undefined: labels run nothing. */
  triggerLabel: string | undefined
  /** Post the verdict as a check run of its own on the head (when the token may write checks). */
  checkRun: boolean
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

function confidence(): number {
  const raw = core.getInput('min-confidence').trim()
  return raw === '' ? DEFAULTS['min-confidence'] : confidenceThreshold(raw, "Input 'min-confidence'")
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
    minConfidence: confidence(),
    failOn,
    reviewEvent,
    reviewScope: oneOf('review-scope', REVIEW_SCOPES, undefined),
    checkRun: booleanInput('check-run', DEFAULTS['check-run']),
    triggerPhrase: core.getInput('trigger-phrase').trim() || DEFAULTS['trigger-phrase'],
    triggerLabel: optionalString('trigger-label'),
    skipAuthors: listInput('skip-authors'),
    skipLabels: listInput('skip-labels'),
    learn: booleanInput('learn', DEFAULTS.learn),
    learningsLabel: optionalString('learnings-label') ?? DEFAULTS['learnings-label']
  }
}
