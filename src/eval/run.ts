import { modelName } from '../settings.js'
import { ActionError, errorMessage } from '../errors.js'
import type { ModelRef } from '../settings.js'
import type { PipelineHooks } from '../reviewer.js'
import type { ReviewSettings } from '../settings.js'
import { runReviewPipeline } from '../pipeline.js'
import { checkOutPullRequest } from './checkout.js'
import { type BenchmarkPullRequest, readGolden } from './golden.js'
import { judgeFindings } from './judge.js'
import { renderReport, type RunSummary, summarize } from './report.js'
import { cachedResult, type PullRequestResult, type RunFiles, saveResult, writeRunFiles } from './results.js'
import { countsAt } from './scoring.js'

/**
 * A benchmark run: each pull request of the golden files fetched, reviewed by
 * the real pipeline as a local branch, judged, and saved; pull requests an
 * earlier run finished (same models) are taken from the results folder.
 */

export interface EvalOptions {
  /** Golden files: paths or URLs. */
  golden: string[]
  /** Undefined: the review model. */
  judgeModel: ModelRef | undefined
  /** Pull requests run at most (after `repo`). */
  limit: number | undefined
  /** `OWNER/REPO`: only its pull requests. */
  repo: string | undefined
  /** Review again even what an earlier run finished. */
  fresh: boolean
  outDir: string
  cacheDir: string
  settings: ReviewSettings
}

export interface EvalHooks extends PipelineHooks {
  /** A line per pull request as it is done. */
  say: (line: string) => void
  /** Read by GitHub's API for base commits (optional: public repositories need none). */
  githubToken: string | undefined
}

function modelLabel(model: ModelRef | undefined): string {
  return model ? modelName(model) : 'default'
}

/** The pull requests of this run: those of `repo`, the first `limit` of them. */
export function selectPullRequests(
  all: BenchmarkPullRequest[],
  repo: string | undefined,
  limit: number | undefined
): BenchmarkPullRequest[] {
  const wanted = repo?.toLowerCase()
  const chosen = wanted ? all.filter((pull) => pull.name.toLowerCase() === wanted) : all
  if (chosen.length === 0) {
    const names = [...new Set(all.map((pull) => pull.name))].join(', ')
    throw new ActionError(
      repo
        ? `--repo ${repo} matches no pull request of the golden files; they hold ${names}.`
        : 'The golden files hold no pull request.'
    )
  }
  return limit === undefined ? chosen : chosen.slice(0, limit)
}

async function evaluatePullRequest(
  pull: BenchmarkPullRequest,
  options: EvalOptions,
  hooks: EvalHooks,
  models: Pick<PullRequestResult, 'reviewModel' | 'judgeModel'>
): Promise<PullRequestResult> {
  const checkout = await checkOutPullRequest(pull, options.cacheDir, hooks.githubToken, hooks.log)
  const started = Date.now()
  // Every finding, whatever its confidence, so that one review gives the scores at each threshold.
  const outcome = await runReviewPipeline(
    { kind: 'local-branch', cwd: checkout.dir, base: checkout.base, foreign: true },
    { ...options.settings, minConfidence: 0 },
    hooks
  )
  const reviewSeconds = (Date.now() - started) / 1000
  if (outcome.kind === 'skipped') throw new ActionError(outcome.reason)
  const { review, delivery, diff } = outcome
  const findings = delivery.triage.found
  const { maxFindings } = options.settings
  const verdict = await judgeFindings(
    {
      model: options.judgeModel ?? options.settings.model,
      settings: options.settings,
      secrets: hooks.secrets,
      log: hooks.log,
      ownOpencode: hooks.ownOpencode,
      cancel: hooks.cancel,
      onServer: hooks.onServer
    },
    pull.title,
    pull.comments,
    findings
  )
  const matched = new Set(verdict.matches.map((match) => match.golden))
  return {
    url: pull.url,
    name: pull.name,
    number: pull.number,
    title: pull.title,
    ...models,
    answeredBy: review.model,
    counts: countsAt(
      { findings, matches: verdict.matches, golden: pull.comments.length, maxFindings },
      options.settings.minConfidence
    ),
    findings: findings.map(({ file, startLine, endLine, severity, title, body, confidence }) => ({
      file,
      startLine,
      endLine,
      severity,
      title,
      body,
      ...(confidence === undefined ? {} : { confidence })
    })),
    maxFindings,
    matches: verdict.matches,
    missed: pull.comments.filter((_, index) => !matched.has(index)).map((comment) => comment.comment),
    diffChars: diff.text.length,
    reviewSeconds,
    tokens: review.tokens,
    cost: review.cost,
    judgeTokens: verdict.tokens,
    judgeCost: verdict.cost
  }
}

export async function runEval(
  options: EvalOptions,
  hooks: EvalHooks
): Promise<{ summary: RunSummary; table: string; files: RunFiles }> {
  const pulls = selectPullRequests(await readGolden(options.golden), options.repo, options.limit)
  const models = {
    reviewModel: modelLabel(options.settings.model),
    judgeModel: modelLabel(options.judgeModel ?? options.settings.model)
  }
  const results: PullRequestResult[] = []
  const failed: RunSummary['failed'] = []
  for (const [index, pull] of pulls.entries()) {
    const where = `[${index + 1}/${pulls.length}] ${pull.name}#${pull.number}`
    const cached = options.fresh ? undefined : cachedResult(options.outDir, pull, models)
    if (cached) {
      hooks.say(`${where}: finished by an earlier run, not reviewed again.`)
      results.push(cached)
      continue
    }
    try {
      const result = await evaluatePullRequest(pull, options, hooks, models)
      saveResult(options.outDir, pull, result)
      results.push(result)
      hooks.say(
        `${where}: ${result.counts.goldenFound}/${result.counts.golden} golden comments found, ${result.counts.findings} finding(s).`
      )
    } catch (error) {
      if (hooks.cancel.aborted) throw error
      failed.push({ url: pull.url, error: errorMessage(error) })
      hooks.log.warning(`${where} is left out of the scores: ${errorMessage(error)}`)
    }
  }
  const summary = summarize(
    { ...models, golden: options.golden, minConfidence: options.settings.minConfidence },
    results,
    failed
  )
  const report = renderReport(summary)
  return { summary, table: report, files: writeRunFiles(options.outDir, summary, report) }
}
