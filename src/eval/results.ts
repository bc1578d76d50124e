import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { TokenUsage } from '../opencode/session.js'
import type { Finding } from '../domain/finding.js'
import type { BenchmarkPullRequest } from './golden.js'
import type { Counts, Match } from './scoring.js'

/**
 * What a run keeps in its results folder: one file per finished pull
 * request (what lets a rerun resume), and the run's summary as JSON.
 */

export interface PullRequestResult {
  url: string
  name: string
  number: number
  title: string
  /** The review model as asked for (`--model`, or `default`), and the judge's: a cached result counts only for the same pair. */
  reviewModel: string
  judgeModel: string
  /** `provider/model` that answered the review. */
  answeredBy: string
  /** At the run's `--min-confidence`. */
  counts: Counts
  /** Every finding found, most severe first, whatever its confidence: the judge matched them all. */
  findings: Array<Pick<Finding, 'file' | 'startLine' | 'endLine' | 'severity' | 'title' | 'body' | 'confidence'>>
  /** The review's `max-findings`: the most a review posts of `findings`. Undefined in results of earlier versions, whose `findings` were those posted. */
  maxFindings?: number
  /** 0-based indices into `findings` and the golden comments. */
  matches: Array<Match & { reasoning: string }>
  /** Golden comments no finding matched. */
  missed: string[]
  /** Characters of diff sent to the model. */
  diffChars: number
  /** The review's wall time (fetching and judging left out). */
  reviewSeconds: number
  tokens: TokenUsage
  /** As the provider reports it; 0 when it reports none. */
  cost: number
  judgeTokens: TokenUsage
  judgeCost: number
}

export const NO_TOKENS: TokenUsage = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }

function resultFile(outDir: string, pull: BenchmarkPullRequest): string {
  return path.join(outDir, 'pull-requests', `${pull.name.replace('/', '__')}__${pull.number}.json`)
}

/** The finished result of `pull` for this model pair, if an earlier run left one. */
export function cachedResult(
  outDir: string,
  pull: BenchmarkPullRequest,
  models: Pick<PullRequestResult, 'reviewModel' | 'judgeModel'>
): PullRequestResult | undefined {
  const file = resultFile(outDir, pull)
  if (!existsSync(file)) return undefined
  try {
    const result = JSON.parse(readFileSync(file, 'utf8')) as PullRequestResult
    return result.reviewModel === models.reviewModel && result.judgeModel === models.judgeModel ? result : undefined
  } catch {
    // A file cut short by a killed run: the pull request is reviewed again.
    return undefined
  }
}

export function saveResult(outDir: string, pull: BenchmarkPullRequest, result: PullRequestResult): void {
  const file = resultFile(outDir, pull)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
}

export interface RunFiles {
  json: string
  markdown: string
}

export function writeRunFiles(outDir: string, summary: unknown, markdown: string): RunFiles {
  mkdirSync(outDir, { recursive: true })
  const files = { json: path.join(outDir, 'results.json'), markdown: path.join(outDir, 'results.md') }
  writeFileSync(files.json, `${JSON.stringify(summary, null, 2)}\n`)
  writeFileSync(files.markdown, markdown)
  return files
}
