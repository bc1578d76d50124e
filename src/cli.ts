#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CliOptions, parseCliArgs, USAGE } from './cli/args.js'
import { readLocalBranch } from './cli/local-branch.js'
import { openTerminal, type Terminal } from './cli/terminal.js'
import { prepareDelivery, redactReview } from './deliver.js'
import { type FileDiff, parseDiff, selectDiff } from './diff.js'
import { fetchFileDiffs } from './diff-source.js'
import { ActionError, errorMessage } from './errors.js'
import { createOctokit, explainGitHubError, type Octokit } from './github.js'
import { repositoryGuidelines } from './guidelines.js'
import { bootServer } from './opencode/boot.js'
import { buildOpencodeConfig } from './opencode/config.js'
import { secretValuesIn } from './opencode/environment.js'
import { escapingLinks } from './opencode/workspace-links.js'
import { publishReview } from './publish.js'
import { fetchPullRequest, type PullRequest } from './pull-request.js'
import { readReviewHistory } from './review-history.js'
import { reviewDiff } from './reviewer.js'

/** What caps the spend on a huge diff, as the action's `max-total-chars` default. */
const MAX_TOTAL_CHARS = 2_000_000

interface Target {
  pullRequest: PullRequest
  files: FileDiff[]
  /** Where the reviewer may read files. */
  workspace: string
  /** Set for --pr: the API the review is read from and posted to. */
  github?: { octokit: Octokit; token: string }
}

async function readTarget(options: CliOptions, terminal: Terminal): Promise<Target> {
  if (!options.pullRequest) {
    const local = await readLocalBranch(process.cwd(), options.base)
    terminal.info(`Reviewing ${local.pullRequest.headRef} against ${local.pullRequest.baseRef} (from ${local.pullRequest.baseSha.slice(0, 7)})`)
    return { pullRequest: local.pullRequest, files: parseDiff(local.diff), workspace: local.root }
  }
  const ref = options.pullRequest
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN
  if (!token) throw new ActionError('--pr needs a GitHub token: set GITHUB_TOKEN (or GH_TOKEN), for example `GITHUB_TOKEN=$(gh auth token)`.')
  const octokit = createOctokit(token)
  const pullRequest = await fetchPullRequest(octokit, ref).catch((error) => {
    throw explainGitHubError(error, `read pull request ${ref.owner}/${ref.repo}#${ref.number}`)
  })
  const files = await fetchFileDiffs(octokit, pullRequest).catch((error) => {
    throw explainGitHubError(error, `read the diff of pull request #${ref.number}`)
  })
  return { pullRequest, files, workspace: process.cwd(), github: { octokit, token } }
}

async function review(argv: string[], terminal: Terminal): Promise<number> {
  const options = parseCliArgs(argv, (file) => readFileSync(file, 'utf8'))
  if (!options) {
    terminal.result(USAGE)
    return 0
  }
  // Outside a runner, OpenCode is installed into a cache of this command's own.
  process.env.RUNNER_TOOL_CACHE ||= path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'opencode-pr-review')
  process.env.RUNNER_TEMP ||= os.tmpdir()

  const target = await readTarget(options, terminal)
  const diff = selectDiff(target.files, { exclude: options.exclude, maxChars: MAX_TOTAL_CHARS })
  if (diff.files.length === 0) throw new ActionError(`Nothing to review: none of the ${target.files.length} changed files is left after exclusions and binaries.`)
  const secrets = [...(target.github ? [target.github.token] : []), ...secretValuesIn(process.env)]
  const opencode = buildOpencodeConfig({ config: options.config, model: options.model, agent: options.agent, allowAgentTools: false }, await escapingLinks(target.workspace))
  const server = await bootServer({ opencodeVersion: options.opencodeVersion, startupTimeoutMs: 60_000, workspace: target.workspace, secrets, onStarted: () => undefined }, opencode)
  secrets.push(server.password)
  terminal.progress(`reviewing ${diff.files.length} files: waiting for the model`)
  let combined
  try {
    const context = { pullRequest: target.pullRequest, extraInstructions: options.prompt, repositoryInstructions: await repositoryGuidelines(target.workspace, target.files) }
    combined = await reviewDiff(server, context, diff, { ...options, agent: opencode.agent, progress: (line) => terminal.progress(line) })
  } finally {
    await server.stop()
  }
  terminal.info(`Reviewed ${diff.files.length} files with ${combined.model}${opencode.model ? '' : ' (the default model of your OpenCode configuration)'}.`)

  const github = target.github
  const history = github && options.post ? await readReviewHistory(github.octokit, target.pullRequest, options.commentMode) : undefined
  const delivery = prepareDelivery(redactReview(combined, secrets), { minSeverity: 'low', inlineComments: true, pullRequestFiles: target.files, posted: history?.posted ?? [], diff })
  if (github && history) {
    const published = await publishReview(github.octokit, target.pullRequest, delivery.content, options.commentMode, history.stickyCommentId)
    terminal.info(`Posted the review with ${published.inlineComments} comment(s) on lines: ${published.url}`)
  } else if (github) {
    terminal.info('Dry run: nothing was posted. Add --post to post this review on the pull request.')
  }
  const footer = delivery.content.footer.replace(/<\/?sub>/g, '')
  terminal.result(
    options.json
      ? JSON.stringify({ model: combined.model, summary: delivery.content.summary, findings: delivery.triage.found, tokens: combined.tokens, cost: combined.cost, sessions: combined.sessions, unreviewed: combined.unreviewed, leftOut: diff.leftOut }, null, 2)
      : `${delivery.markdown}\n\n---\n${footer}`
  )
  return combined.unreviewed.length ? 1 : 0
}

async function runCli(argv: string[]): Promise<number> {
  const terminal = openTerminal()
  try {
    return await review(argv, terminal)
  } catch (error) {
    terminal.close()
    process.stderr.write(`error: ${error instanceof ActionError ? error.message : `Unexpected error: ${errorMessage(error)}`}\n`)
    return 1
  } finally {
    terminal.close()
  }
}

process.exitCode = await runCli(process.argv.slice(2))
