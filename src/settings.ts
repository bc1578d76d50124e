import { CONVENTION_SOURCES, type ConventionSource } from './conventions/select.js'
import { ActionError, errorMessage } from './errors.js'
import type { Severity } from './domain/finding.js'

/**
 * What a review is told to do, and how its values are read: the action's inputs and the local
 * command's options both become these settings (action/inputs.ts, cli/args.ts), parsed once.
 */

export const COMMENT_MODES = ['review', 'sticky', 'comment'] as const
export type CommentMode = (typeof COMMENT_MODES)[number]

/** How the review is posted: never an approval. */
export const REVIEW_EVENTS = ['comment', 'request-changes'] as const
export type ReviewEvent = (typeof REVIEW_EVENTS)[number]

export const REVIEW_SCOPES = ['incremental', 'full'] as const
export type ReviewScope = (typeof REVIEW_SCOPES)[number]

export interface ModelRef {
  providerID: string
  modelID: string
}

/** `provider/model`, as users write it and logs show it. */
export function modelName(model: ModelRef): string {
  return `${model.providerID}/${model.modelID}`
}

export interface ReviewSettings {
  /** Undefined: use the model named by the OpenCode config. */
  model: ModelRef | undefined
  /** Reviews once more with it when the model's provider fails. */
  fallbackModel: ModelRef | undefined
  /** Merges the parts of a split review; undefined: `model`. */
  synthesisModel: ModelRef | undefined
  /** A BCP 47 tag the summary and findings are written in; undefined: the model's choice. */
  language: string | undefined
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
  /** Findings the model is less sure of (0 to 1) are dropped and counted; 0 keeps them all. */
  minConfidence: number
  /** A posted finding at or above it fails the step; undefined: never. */
  failOn: Severity | undefined
  /** `request-changes`: a review whose findings reach `failOn` requests changes, a later one below it dismisses them. */
  reviewEvent: ReviewEvent
  /** Undefined: incremental on a push to the pull request, full otherwise. */
  reviewScope: ReviewScope | undefined
  skipAuthors: string[]
  skipLabels: string[]
  /** Learn from the maintainers, and give each review what was learned (the learnings issue is read, and written by the action). */
  learn: boolean
  /** The label that finds the issue holding the learnings. */
  learningsLabel: string
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

/** `value` as a JSON object; `what` names it in the error (`Input 'config'`, `--config`). */
export function parseConfig(value: string, what = "Input 'config'"): Record<string, unknown> {
  if (value.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (error) {
    throw new ActionError(`${what} is not valid JSON: ${errorMessage(error)}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ActionError(`${what} must be a JSON object such as {"provider": {...}}, got ${JSON.stringify(parsed)}.`)
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

/** `raw` as a confidence from 0 to 1 (`0.7`); `what` names it in the error. */
export function confidenceThreshold(raw: string, what: string): number {
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw new ActionError(`${what} must be a number from 0 to 1, such as 0.6, got '${raw}'.`)
  return value
}

/** `raw` if it is one of `choices`; `what` names it in the error. */
export function oneOfChoices<T extends string>(raw: string, choices: readonly T[], what: string): T {
  if (!(choices as readonly string[]).includes(raw))
    throw new ActionError(`${what} must be one of ${choices.join(', ')}, got '${raw}'.`)
  return raw as T
}
