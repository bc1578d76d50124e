import type { DiffSelection } from '../diff/select.js'
import { errorMessage } from '../errors.js'
import type { Finding } from '../domain/finding.js'
import {
  parseStructuredReview,
  reviewSchema,
  splitFencedFindings,
  type StructuredReview,
  SYNTHESIS_SCHEMA
} from './findings.js'
import type { ModelRef } from '../settings.js'
import { type AskingHooks, startAsking } from '../opencode/asking.js'
import {
  addTokens,
  type FollowUp,
  type ReviewResult,
  supportsStructuredOutput,
  type TokenUsage
} from '../opencode/session.js'
import type { OpencodeServer } from '../opencode/server.js'
import { type AnswerFormat, buildReviewPrompt, buildSynthesisPrompt, type PromptParts } from './prompt.js'
import { alreadyPosted, type PostedFinding, postedOf } from '../domain/markers.js'
import type { Logger } from '../logger.js'
import { buildVerificationPrompt, VERIFICATION_SCHEMA, verdictOn } from './verify.js'
import { onlyFiles, synthesizedRows } from '../domain/walkthrough.js'

/**
 * The review of a diff on a running server, in the parts it was split into: one session for a
 * diff that fits `maxDiffChars`, else its file groups reviewed in up to `maxSessions` sessions at
 * once, merged by one short synthesis message. Shared by the action and the CLI.
 */

export interface ReviewerOptions {
  /** Undefined: the server's configured default model. */
  model: ModelRef | undefined
  /** Asked once more, for the same message, when `model`'s provider fails. */
  fallbackModel: ModelRef | undefined
  /** Merges the parts' summaries; undefined: `model`. */
  synthesisModel: ModelRef | undefined
  agent: string
  variant: string | undefined
  timeoutMs: number
  maxDiffChars: number
  maxSessions: number
  /** Each session checks its findings in a second message; those the model does not stand by are dropped. */
  verify: boolean
}

export interface UnreviewedFiles {
  files: string[]
  reason: string
}

export interface CombinedReview extends StructuredReview {
  /** `provider/model` that answered. */
  model: string
  tokens: TokenUsage
  cost: number
  sessions: number
  /** Groups whose session failed while others succeeded. */
  unreviewed: UnreviewedFiles[]
  /** Findings the verification did not stand by: not in `findings`, only counted. */
  refuted: Finding[]
}

/** Each part's message: its diff, and which part it is when there are several. */
export function partPrompts(context: Omit<PromptParts, 'diff' | 'part'>, parts: readonly DiffSelection[]): string[] {
  const files = parts.reduce((sum, part) => sum + part.files.length, 0)
  return parts.map((part, index) =>
    buildReviewPrompt({
      ...context,
      diff: part,
      ...(parts.length > 1
        ? { part: { index: index + 1, count: parts.length, otherFiles: files - part.files.length } }
        : {})
    })
  )
}

/** The model's answer as a summary and findings, whichever way it came back. */
export function answerOf(result: ReviewResult): StructuredReview {
  const structured = result.structured === undefined ? undefined : parseStructuredReview(result.structured)
  return structured
    ? { ...structured, summary: structured.summary || result.markdown }
    : splitFencedFindings(result.markdown)
}

/** Runs `tasks` with at most `limit` at once, keeping their order in the results. */
async function pooled<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<Array<PromiseSettledResult<T>>> {
  const results: Array<PromiseSettledResult<T>> = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await tasks[index]().then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason })
      )
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

/** The message that asks a part's session to check its findings; none when there is nothing to check. */
function verificationOf(result: ReviewResult): FollowUp | undefined {
  const { findings } = answerOf(result)
  return findings.length ? { prompt: buildVerificationPrompt(findings), schema: VERIFICATION_SCHEMA } : undefined
}

/** A part's answer without the findings its verification refuted (numbered as `verificationOf` numbered them). */
function verifiedAnswer(result: ReviewResult, log: Logger): StructuredReview & { refuted: Finding[] } {
  const answer = answerOf(result)
  if (!result.followUp) return { ...answer, refuted: [] }
  const verdict = verdictOn(answer.findings, result.followUp.structured)
  if (!verdict) {
    log.warning('The model gave no usable verification of its findings: they are all kept.')
    return { ...answer, refuted: [] }
  }
  log.info(`Verification: the model stands by ${verdict.kept.length} of its ${answer.findings.length} finding(s).`)
  return { ...answer, findings: verdict.kept, refuted: verdict.refuted }
}

/** A part's verified answer, its walkthrough kept to the files the part reviewed (none when it was not asked for). */
function partAnswer(
  result: ReviewResult,
  part: DiffSelection,
  walkthrough: boolean,
  log: Logger
): StructuredReview & { refuted: Finding[] } {
  const answer = verifiedAnswer(result, log)
  const files = part.files.map((file) => file.path)
  return { ...answer, walkthrough: walkthrough ? onlyFiles(answer.walkthrough, files) : [] }
}

/** The same finding from two groups (a file both read) is kept once, as a later run would not post it twice. */
function withoutDuplicates(findings: Finding[]): Finding[] {
  const kept: Finding[] = []
  const seen: PostedFinding[] = []
  for (const finding of findings) {
    if (alreadyPosted(finding, seen)) continue
    kept.push(finding)
    seen.push(postedOf(finding))
  }
  return kept
}

export async function reviewDiff(
  server: OpencodeServer,
  context: Omit<PromptParts, 'diff' | 'answerFormat' | 'part'>,
  diff: DiffSelection,
  parts: readonly DiffSelection[],
  options: ReviewerOptions,
  hooks: AskingHooks
): Promise<CombinedReview> {
  const { log } = hooks
  const answerFormat: AnswerFormat = (await supportsStructuredOutput(server)) ? 'structured' : 'fenced'
  const { pullRequest } = context
  const asker = startAsking(
    server,
    { ...options, title: `Review of ${pullRequest.owner}/${pullRequest.repo}#${pullRequest.number}` },
    hooks
  )
  const walkthrough = context.walkthrough ?? false
  const verify = options.verify && answerFormat === 'structured'
  if (options.verify && !verify)
    log.warning("'verify' needs OpenCode's structured output, which this server lacks: findings are not verified.")
  try {
    if (parts.length > 1)
      log.info(
        `The diff has ${diff.text.length.toLocaleString('en-US')} characters: it is reviewed in ${parts.length} parts, ${Math.min(parts.length, options.maxSessions)} at a time.`
      )
    const settled = await pooled(
      partPrompts({ ...context, answerFormat }, parts).map((prompt, index) => () => {
        const label = parts.length === 1 ? 'review' : `part ${index + 1}/${parts.length}`
        const schema = answerFormat === 'structured' ? reviewSchema(walkthrough) : undefined
        return asker.ask(label, { model: options.model, prompt, schema, followUp: verify ? verificationOf : undefined })
      }),
      options.maxSessions
    )
    const answered = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))
    const failed = settled.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [{ index, reason: outcome.reason as unknown }] : []
    )
    // Nothing to post: the first failure is the step's.
    if (answered.length === 0) throw failed[0].reason
    const answers = settled.flatMap((outcome, index) =>
      outcome.status === 'fulfilled' ? [partAnswer(outcome.value, parts[index], walkthrough, log)] : []
    )
    let summary = answers[0].summary
    let rows = answers[0].walkthrough
    let total = answered.reduce((sum, result) => addTokens(sum, result.tokens), {
      input: 0,
      output: 0,
      reasoning: 0,
      cacheRead: 0,
      cacheWrite: 0
    })
    let cost = answered.reduce((sum, result) => sum + result.cost, 0)
    if (answers.length > 1) {
      // With the walkthrough, the synthesis answers like a part (a schema, or a fenced block) to regroup the rows.
      const rowsFormat = walkthrough ? answerFormat : undefined
      const synthesis = await asker
        .ask('synthesis', {
          model: options.synthesisModel ?? options.model,
          prompt: buildSynthesisPrompt(pullRequest, answers, options.maxDiffChars, {
            language: context.language,
            walkthrough: rowsFormat
          }),
          schema: rowsFormat === 'structured' ? SYNTHESIS_SCHEMA : undefined
        })
        .catch((error: unknown) => {
          log.warning(
            `Could not merge the partial summaries (${errorMessage(error)}); they are posted one after the other.`
          )
          return undefined
        })
      const merged = synthesis && (rowsFormat ? answerOf(synthesis) : { summary: synthesis.markdown, walkthrough: [] })
      summary =
        merged?.summary || answers.map((answer, index) => `**Part ${index + 1}.** ${answer.summary}`).join('\n\n')
      rows = synthesizedRows(
        merged?.walkthrough ?? [],
        answers.flatMap((answer) => answer.walkthrough)
      )
      if (synthesis) {
        total = addTokens(total, synthesis.tokens)
        cost += synthesis.cost
      }
    }
    return {
      summary,
      walkthrough: rows,
      findings: withoutDuplicates(answers.flatMap((answer) => answer.findings)),
      dropped: answers.reduce((sum, answer) => sum + answer.dropped, 0),
      // A part the fallback answered names it too.
      model: [...new Set(answered.map((result) => result.model))].join(', '),
      tokens: total,
      cost,
      refuted: answers.flatMap((answer) => answer.refuted),
      sessions: settled.length + (answers.length > 1 ? 1 : 0),
      unreviewed: failed.map(({ index, reason }) => ({
        files: parts[index].files.map((file) => file.path),
        reason: errorMessage(reason)
      }))
    }
  } finally {
    await asker.close()
  }
}
