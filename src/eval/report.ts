import { addTokens, type TokenUsage } from '../opencode/session.js'
import { NO_TOKENS, type PullRequestResult } from './results.js'
import { CONFIDENCE_THRESHOLDS, type Counts, countsAt, type Scores, scoresOf, sumCounts } from './scoring.js'

/**
 * The run as a markdown table, one row per pull request and a total row
 * (micro-averaged: counts summed over the pull requests, then divided), a
 * second table of the totals at each confidence threshold, and the same
 * figures as JSON for comparing runs.
 */

export interface RunSummary {
  reviewModel: string
  judgeModel: string
  golden: string[]
  /** The threshold the pull requests' rows and the total are scored at. */
  minConfidence: number
  /** Each pull request's `counts` at `minConfidence`. */
  pullRequests: PullRequestResult[]
  /** Pull requests that could not be fetched, reviewed or judged: left out of the totals. */
  failed: Array<{ url: string; error: string }>
  total: Counts &
    Scores & { diffChars: number; reviewSeconds: number; tokens: TokenUsage; cost: number; judgeCost: number }
  /** The totals had the reviews dropped the findings below each of CONFIDENCE_THRESHOLDS. */
  byConfidence: Array<{ minConfidence: number } & Counts & Scores>
  /** Findings that gave no confidence: kept at every threshold. */
  withoutConfidence: number
}

/** The totals of `results` at `minConfidence`. */
function totalAt(results: readonly PullRequestResult[], minConfidence: number): Counts {
  return sumCounts(results.map((result) => countsAt({ ...result, golden: result.counts.golden }, minConfidence)))
}

export function summarize(
  models: Pick<RunSummary, 'reviewModel' | 'judgeModel' | 'golden' | 'minConfidence'>,
  results: PullRequestResult[],
  failed: RunSummary['failed']
): RunSummary {
  // Scored again at this run's threshold: a result kept from an earlier run may have been scored at another.
  const pullRequests = results.map((result) => ({
    ...result,
    counts: countsAt({ ...result, golden: result.counts.golden }, models.minConfidence)
  }))
  const counts = sumCounts(pullRequests.map((result) => result.counts))
  const sum = (value: (result: PullRequestResult) => number) =>
    pullRequests.reduce((total, result) => total + value(result), 0)
  return {
    ...models,
    pullRequests,
    failed,
    total: {
      ...counts,
      ...scoresOf(counts),
      diffChars: sum((result) => result.diffChars),
      reviewSeconds: sum((result) => result.reviewSeconds),
      tokens: pullRequests.reduce((total, result) => addTokens(total, result.tokens), NO_TOKENS),
      cost: sum((result) => result.cost),
      judgeCost: sum((result) => result.judgeCost)
    },
    byConfidence: CONFIDENCE_THRESHOLDS.map((minConfidence) => {
      const total = totalAt(pullRequests, minConfidence)
      return { minConfidence, ...total, ...scoresOf(total) }
    }),
    withoutConfidence: sum((result) => result.findings.filter((finding) => finding.confidence === undefined).length)
  }
}

function percent(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`
}

function thousands(value: number): string {
  return value.toLocaleString('en-US')
}

/** Tokens in and out; `n/a` when the provider reported none. */
function tokens(usage: TokenUsage): string {
  const sent = usage.input + usage.cacheRead + usage.cacheWrite
  return sent + usage.output === 0 ? 'n/a' : `${thousands(sent)} / ${thousands(usage.output + usage.reasoning)}`
}

function cost(value: number): string {
  return value === 0 ? 'n/a' : `$${value.toFixed(4)}`
}

interface Row {
  name: string
  counts: Counts
  diffChars: number
  seconds: number
  tokens: TokenUsage
  cost: number
}

function rowOf(row: Row): string {
  const { precision, recall, f1 } = scoresOf(row.counts)
  return `| ${[
    row.name,
    `${row.counts.goldenFound}/${row.counts.golden}`,
    row.counts.findings,
    percent(precision),
    percent(recall),
    percent(f1),
    thousands(row.diffChars),
    `${row.seconds.toFixed(0)} s`,
    tokens(row.tokens),
    cost(row.cost)
  ].join(' | ')} |`
}

export function renderTable(summary: RunSummary): string {
  const header = [
    '| pull request | golden found | findings | precision | recall | F1 | diff chars | time | tokens in / out | cost |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]
  const rows = summary.pullRequests.map((result) =>
    rowOf({
      name: `${result.name}#${result.number}`,
      counts: result.counts,
      diffChars: result.diffChars,
      seconds: result.reviewSeconds,
      tokens: result.tokens,
      cost: result.cost
    })
  )
  const { total } = summary
  const totalRow = rowOf({
    name: `**total (${summary.pullRequests.length})**`,
    counts: total,
    diffChars: total.diffChars,
    seconds: total.reviewSeconds,
    tokens: total.tokens,
    cost: total.cost
  })
  return [...header, ...rows, totalRow].join('\n')
}

/** The totals at each confidence threshold: what `min-confidence` would have kept of these reviews. */
export function renderConfidenceTable(summary: RunSummary): string {
  const rows = summary.byConfidence.map(
    (row) =>
      `| ${[
        row.minConfidence === summary.minConfidence ? `**${row.minConfidence}**` : row.minConfidence,
        `${row.goldenFound}/${row.golden}`,
        row.findings,
        percent(row.precision),
        percent(row.recall),
        percent(row.f1)
      ].join(' | ')} |`
  )
  return [
    '| min-confidence | golden found | findings | precision | recall | F1 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows
  ].join('\n')
}

/** The results file's markdown: which models, the tables, and what failed. */
export function renderReport(summary: RunSummary): string {
  const failed = summary.failed.map((failure) => `- ${failure.url}: ${failure.error}`)
  const findings = summary.pullRequests.reduce((all, result) => all + result.findings.length, 0)
  return [
    '# Review quality',
    '',
    `Review model: \`${summary.reviewModel}\` · judge: \`${summary.judgeModel}\` · golden comments: ${summary.golden.join(', ')} · min-confidence: ${summary.minConfidence}`,
    '',
    renderTable(summary),
    '',
    'Precision: matched findings / findings. Recall: golden comments found / golden comments. The total is',
    'micro-averaged (counts summed over the pull requests, then divided).',
    '',
    '## By min-confidence',
    '',
    'The same reviews had the findings below each threshold been dropped, as `min-confidence` drops them',
    '(then at most `max-findings` posted per pull request). Choose the threshold that keeps the recall you need.',
    `${summary.withoutConfidence} of the ${findings} findings gave no confidence: they are kept at every threshold.`,
    '',
    renderConfidenceTable(summary),
    '',
    `Judge cost: ${cost(summary.total.judgeCost)}.`,
    ...(failed.length ? ['', `Not scored (${failed.length}):`, ...failed] : []),
    ''
  ].join('\n')
}
