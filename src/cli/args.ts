import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { DEFAULTS } from '../defaults.js'
import { ActionError } from '../errors.js'
import {
  COMMENT_MODES,
  confidenceThreshold,
  type ModelRef,
  oneOfChoices,
  parseConfig,
  parseConventionSources,
  parseLanguage,
  parseModel,
  positiveWholeNumber,
  type ReviewSettings
} from '../settings.js'
import { CONVENTION_SOURCES } from '../conventions/select.js'
import type { PullRequestRef } from '../domain/pull-request.js'
import { PUBLISHED_GOLDEN } from '../eval/golden.js'
import type { EvalOptions } from '../eval/run.js'

export const USAGE = `Usage: opencode-pr-review [options]
       opencode-pr-review init [options]   write the workflow that runs the action (init --help)

Reviews the current branch of a git checkout against a base branch, or a GitHub pull request,
with OpenCode in a read-only sandbox, and prints the review as markdown.

  --base <ref>          what the branch is compared with (default: its upstream, else main or master)
  --pr <owner/repo#N>   review a GitHub pull request instead (token from GITHUB_TOKEN or GH_TOKEN)
  --post                with --pr: post the review on the pull request (default: a dry run that only prints it)
  --comment-mode <m>    with --post: ${COMMENT_MODES.join(', ')} (default ${DEFAULTS['comment-mode']})
  --model <p/m>         provider/model (default: the model of your OpenCode configuration)
  --fallback-model <m>  provider/model that reviews once more when the model's provider fails
  --synthesis-model <m> provider/model that merges the parts of a split review (default: --model)
  --language <tag>      write the summary and findings in this language (de, ja, pt-BR, ...)
  --prompt <text>       extra review instructions
  --config <json|@file> JSON merged into the OpenCode config (providers, agents, options)
  --exclude <glob>      leave matching files out of the diff (repeatable; !glob brings one back)
  --agent <name>        the OpenCode agent that reviews
  --variant <name>      the model variant or reasoning effort (high, max, ...)
  --max-diff-chars <n>  characters of diff per session (default ${DEFAULTS['max-diff-chars']}); larger diffs are split
  --max-sessions <n>    sessions at once for a split diff (default ${DEFAULTS['max-sessions']})
  --max-findings <n>    findings shown at most, the most severe (default ${DEFAULTS['max-findings']})
  --verify              ask the model to check each finding in a second message, and drop those it does not stand by
  --min-confidence <n>  drop findings the model is less sure of, from 0 to 1 (default ${DEFAULTS['min-confidence']}: keep them all)
  --no-walkthrough      leave out the table of what changed that opens the summary
  --conventions <which> the repository's instruction files (AGENTS.md, CLAUDE.md, ...) read from the base:
                        true, false, or a list of ${CONVENTION_SOURCES.join(', ')} (default ${DEFAULTS.conventions})
  --timeout <seconds>   how long the review may take (default ${DEFAULTS['review-timeout']})
  --json                print the structured result (summary, findings, model, tokens) as JSON
  -h, --help            show this help
  --version             print the version

  opencode-pr-review eval --help   measure review quality on a benchmark`

export interface CliOptions {
  base: string | undefined
  pullRequest: PullRequestRef | undefined
  post: boolean
  json: boolean
  /** The action's inputs, the ones the command has no option for at the action's defaults. */
  settings: ReviewSettings
}

function optionalModel(name: string, raw: string | undefined): ModelRef | undefined {
  return raw === undefined ? undefined : parseModel(raw, `--${name}`)
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  return raw === undefined ? fallback : positiveWholeNumber(raw, `--${name}`)
}

/** `owner/repo#12`, or a pull request's URL. */
export function parsePullRequestRef(value: string): PullRequestRef {
  const match = /^(?:https:\/\/github\.com\/)?([\w.-]+)\/([\w.-]+)(?:#|\/pull\/)(\d+)\/?$/.exec(value.trim())
  if (!match) throw new ActionError(`--pr must look like 'owner/repo#12' or a pull request URL, got '${value}'.`)
  return { owner: match[1], repo: match[2], number: Number(match[3]) }
}

/** The options of a review, shared by the review and `eval`. */
const REVIEW_OPTIONS = {
  'comment-mode': { type: 'string' },
  model: { type: 'string' },
  'fallback-model': { type: 'string' },
  'synthesis-model': { type: 'string' },
  language: { type: 'string' },
  prompt: { type: 'string' },
  config: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  agent: { type: 'string' },
  variant: { type: 'string' },
  'max-diff-chars': { type: 'string' },
  'max-sessions': { type: 'string' },
  'max-findings': { type: 'string' },
  'min-confidence': { type: 'string' },
  verify: { type: 'boolean', default: DEFAULTS.verify },
  'no-walkthrough': { type: 'boolean', default: false },
  conventions: { type: 'string', default: String(DEFAULTS.conventions) },
  timeout: { type: 'string' },
  'opencode-version': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false }
} as const

type ReviewValues = ReturnType<typeof parseArgs<{ options: typeof REVIEW_OPTIONS; strict: true }>>['values']

/** `argv` parsed against `options`; an unknown or malformed option is an error that shows `usage`. */
function parseOptions<T extends ParseArgsConfig['options']>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values
  } catch (error) {
    throw new ActionError(`${(error as Error).message}\n\n${usage}`)
  }
}

/** The file `--config @file` names, read; a file that cannot be read is an error that names it. */
export function readConfigArgument(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : message
    throw new ActionError(`--config @${file}: cannot read ${path.resolve(file)}: ${reason}.`)
  }
}

/** The action's inputs from the review options, the ones the command has no option for at the action's defaults. */
function reviewSettings(values: ReviewValues, readFile: (file: string) => string): ReviewSettings {
  const commentMode = oneOfChoices(values['comment-mode'] ?? DEFAULTS['comment-mode'], COMMENT_MODES, '--comment-mode')
  const config = values.config?.startsWith('@') ? readFile(values.config.slice(1)) : values.config
  return {
    model: optionalModel('model', values.model),
    fallbackModel: optionalModel('fallback-model', values['fallback-model']),
    synthesisModel: optionalModel('synthesis-model', values['synthesis-model']),
    language: values.language === undefined ? undefined : parseLanguage(values.language, '--language'),
    prompt: values.prompt ?? '',
    config: parseConfig(config ?? '', '--config'),
    opencodeVersion: values['opencode-version'] ?? DEFAULTS['opencode-version'],
    commentMode,
    exclude: values.exclude ?? [],
    maxDiffChars: positive('max-diff-chars', values['max-diff-chars'], DEFAULTS['max-diff-chars']),
    maxTotalChars: DEFAULTS['max-total-chars'],
    maxSessions: positive('max-sessions', values['max-sessions'], DEFAULTS['max-sessions']),
    startupTimeoutMs: DEFAULTS['startup-timeout'] * 1000,
    reviewTimeoutMs: positive('timeout', values.timeout, DEFAULTS['review-timeout']) * 1000,
    agent: values.agent,
    variant: values.variant,
    allowAgentTools: false,
    inlineComments: DEFAULTS['inline-comments'],
    maxFindings: positive('max-findings', values['max-findings'], DEFAULTS['max-findings']),
    verify: values.verify,
    walkthrough: DEFAULTS.walkthrough && !values['no-walkthrough'],
    // Only the action writes the pull request's description.
    describe: false,
    resolveOutdated: DEFAULTS['resolve-outdated'],
    conventions: parseConventionSources(values.conventions, '--conventions'),
    minSeverity: DEFAULTS['min-severity'],
    minConfidence:
      values['min-confidence'] === undefined
        ? DEFAULTS['min-confidence']
        : confidenceThreshold(values['min-confidence'], '--min-confidence'),
    // The local command has no `fail-on`: its review only comments.
    failOn: undefined,
    reviewEvent: DEFAULTS['review-event'],
    // A person asked for this review: all of it, whatever was reviewed before, and no skip rules.
    reviewScope: 'full',
    skipDrafts: false,
    skipAuthors: [],
    skipLabels: [],
    // A pull request's review applies the learnings of its repository; only the action learns.
    learn: DEFAULTS.learn,
    learningsLabel: DEFAULTS['learnings-label']
  }
}

/** undefined: --help. `readFile` reads `--config @file`. */
export function parseCliArgs(argv: string[], readFile: (file: string) => string): CliOptions | undefined {
  const values = parseOptions(
    argv,
    {
      ...REVIEW_OPTIONS,
      base: { type: 'string' },
      pr: { type: 'string' },
      post: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }
    },
    USAGE
  )
  if (values.help) return undefined
  if (values.pr && values.base)
    throw new ActionError(
      '--base and --pr exclude each other: --base reviews the local branch, --pr a GitHub pull request.'
    )
  if (values.post && !values.pr)
    throw new ActionError('--post needs --pr: only a GitHub pull request can be posted to.')
  return {
    base: values.base,
    pullRequest: values.pr ? parsePullRequestRef(values.pr) : undefined,
    post: values.post,
    json: values.json,
    settings: reviewSettings(values, readFile)
  }
}

export const EVAL_USAGE = `Usage: opencode-pr-review eval [options]

Measures review quality: reviews the pull requests of a benchmark (the Martian code-review benchmark's
golden comments by default) with your model, has a judge model match each finding with the golden
comments, and prints precision, recall and F1 per pull request and in total. Finished pull requests
are kept in --out: a rerun resumes.

  --golden <file|url>   golden comments in the Martian offline format (repeatable; default: the published ones)
  --model <p/m>         the review model (default: the model of your OpenCode configuration)
  --judge-model <p/m>   the model that matches findings with golden comments (default: --model)
  --repo <owner/repo>   only this repository's pull requests
  --limit <n>           at most this many pull requests
  --out <dir>           where results go (default: eval-results/<model>)
  --cache-dir <dir>     where pull requests' code is fetched to (default: ~/.cache/opencode-pr-review/benchmark)
  --fresh               review again what an earlier run finished
  --min-confidence <n>  the threshold the table per pull request is scored at (default ${DEFAULTS['min-confidence']}); a second table
                        gives precision and recall at every threshold from 0 to 0.9, from the same reviews
  Review options (as for a review): --config, --prompt, --agent, --variant, --fallback-model, --synthesis-model,
  --language, --exclude, --max-diff-chars, --max-sessions, --max-findings, --verify, --no-walkthrough, --conventions,
  --timeout
  -h, --help            show this help`

/** undefined: --help. `cacheHome` holds the default cache folder. */
export function parseEvalArgs(
  argv: string[],
  readFile: (file: string) => string,
  cacheHome: string
): EvalOptions | undefined {
  const values = parseOptions(
    argv,
    {
      ...REVIEW_OPTIONS,
      golden: { type: 'string', multiple: true },
      'judge-model': { type: 'string' },
      repo: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      'cache-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false }
    },
    EVAL_USAGE
  )
  if (values.help) return undefined
  if (values.repo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(values.repo))
    throw new ActionError(`--repo must look like 'owner/repo', got '${values.repo}'.`)
  const settings = reviewSettings(values, readFile)
  const modelSlug = values.model ? values.model.replace(/[^\w.-]+/g, '_') : 'default'
  return {
    golden: values.golden ?? PUBLISHED_GOLDEN,
    judgeModel: optionalModel('judge-model', values['judge-model']),
    repo: values.repo,
    limit: values.limit === undefined ? undefined : positiveWholeNumber(values.limit, '--limit'),
    fresh: values.fresh,
    outDir: values.out ?? path.join('eval-results', modelSlug),
    cacheDir: values['cache-dir'] ?? path.join(cacheHome, 'opencode-pr-review', 'benchmark'),
    settings
  }
}
