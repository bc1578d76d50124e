import * as core from '@actions/core'
import * as github from '@actions/github'
import { type DiffSelection, type FileDiff, selectDiff } from './diff.js'
import { prepareDelivery, redactReview } from './deliver.js'
import { fetchFileDiffs } from './diff-source.js'
import { repositoryGuidelines } from './guidelines.js'
import { ActionError, errorMessage } from './errors.js'
import { atLeast, countBySeverity, type Finding, highestSeverity, type Severity } from './findings.js'
import { createOctokit, explainGitHubError, type Octokit } from './github.js'
import { changesSince } from './incremental.js'
import { type ActionInputs, readInputs } from './inputs.js'
import { canTrigger, reactionsOn } from './on-demand.js'
import { buildOpencodeConfig, deepMerge, needsDefinition, requireModel } from './opencode/config.js'
import { secretValuesIn } from './opencode/environment.js'
import { fetchRepositoryAgent } from './opencode/repository-agent.js'
import { bootServer } from './opencode/boot.js'
import { killProcessGroup, type OpencodeServer } from './opencode/server.js'
import { escapingLinks } from './opencode/workspace-links.js'
import { type Published, publishReview } from './publish.js'
import { type EventTarget, fetchPullRequest, type PullRequest, resolveEventTarget } from './pull-request.js'
import { redactSecrets } from './redact.js'
import { readReviewHistory, type ReviewHistory } from './review-history.js'
import { type CombinedReview, reviewDiff } from './reviewer.js'
import { skipReason } from './skip-rules.js'

const STATE_IS_POST = 'is-post'
const STATE_SERVER_PID = 'opencode-pid'

/** The user's config, plus the agent named by `agent` from the repository's .opencode/agent/ when the config lacks it. */
async function withRepositoryAgent(octokit: Octokit, pullRequest: PullRequest, inputs: ActionInputs): Promise<Record<string, unknown>> {
  if (!needsDefinition(inputs.agent, inputs.config)) return inputs.config
  const agent = await fetchRepositoryAgent(octokit, pullRequest, inputs.agent).catch((error) => {
    throw explainGitHubError(error, `read the agent '${inputs.agent}' from .opencode/agent/`)
  })
  if (agent) core.info(`Using the agent '${inputs.agent}' defined in the repository (base branch ${pullRequest.baseRef})`)
  return agent ? deepMerge({ agent: { [inputs.agent]: agent } }, inputs.config) : inputs.config
}

/** Every changed file of the pull request. */
async function readPullRequestFiles(octokit: Octokit, pullRequest: PullRequest): Promise<FileDiff[]> {
  return fetchFileDiffs(octokit, pullRequest).catch((error) => {
    throw explainGitHubError(error, `read the diff of pull request #${pullRequest.number}`)
  })
}

/** What this run reviews: the changes since the last reviewed head, or the whole pull request. */
interface Scope {
  files: FileDiff[]
  /** Set for an incremental review. */
  since?: string
  /** Why a wanted incremental review became a full one. */
  fullReason?: string
}

/** Undefined: nothing new since the last review. */
async function chooseScope(octokit: Octokit, pullRequest: PullRequest, inputs: ActionInputs, action: string, history: ReviewHistory, files: FileDiff[]): Promise<Scope | undefined> {
  const incremental = inputs.reviewScope === 'incremental' || (inputs.reviewScope === undefined && action === 'synchronize')
  const since = history.lastReviewedHead
  if (!incremental || since === undefined) return { files }
  const increment = await changesSince(octokit, pullRequest, since, files).catch((error) => {
    throw explainGitHubError(error, `compare ${since.slice(0, 7)} with the head of pull request #${pullRequest.number}`)
  })
  if (increment.kind === 'nothing-new') return undefined
  if (increment.kind === 'full') {
    core.notice(`Reviewing the whole pull request: ${increment.reason}.`)
    return { files, fullReason: increment.reason }
  }
  core.info(`Incremental review: ${increment.files.length} of the pull request's files changed since ${since.slice(0, 7)}.`)
  return { files: increment.files, since }
}

function logSelection(diff: DiffSelection, total: number): void {
  core.startGroup(`Diff: ${diff.files.length} of ${total} files, ${diff.text.length.toLocaleString('en-US')} characters`)
  for (const file of diff.leftOut) core.info(`left out: ${file.path} (${file.reason})`)
  core.endGroup()
}

interface Outcome {
  /** Set when `fail-on` or files left unreviewed turn the step red. */
  failure?: string
}

async function reviewPullRequest(inputs: ActionInputs, target: Extract<EventTarget, { kind: 'review' }>, octokit: Octokit): Promise<Outcome> {
  const pullRequest = await fetchPullRequest(octokit, target.pullRequest).catch((error) => {
    throw explainGitHubError(error, `read pull request #${target.pullRequest.number}`)
  })
  const skip = target.trigger ? undefined : skipReason(pullRequest, inputs)
  if (skip) {
    core.notice(skip)
    return {}
  }
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const links = await escapingLinks(workspace)
  if (links.length) core.warning(`The reviewer may not read these links, which lead out of the workspace or into .git/: ${links.join(', ')}`)
  const opencode = buildOpencodeConfig({ ...inputs, config: await withRepositoryAgent(octokit, pullRequest, inputs) }, links)

  const booting = bootServer({ ...inputs, workspace, secrets: [inputs.githubToken], onStarted: (pid) => core.saveState(STATE_SERVER_PID, pid) }, opencode)
  // Handled where it is awaited; this keeps an early failure from counting as unhandled meanwhile.
  booting.catch(() => undefined)
  const knownSecrets = [inputs.githubToken, ...secretValuesIn(process.env)]
  let server: OpencodeServer | undefined
  let review: CombinedReview | undefined
  let files: FileDiff[]
  let history: ReviewHistory
  let scope: Scope | undefined
  let diff: DiffSelection
  let stopping: Promise<void>
  try {
    ;[files, history] = await Promise.all([
      readPullRequestFiles(octokit, pullRequest),
      readReviewHistory(octokit, pullRequest, inputs.commentMode).catch((error) => {
        throw explainGitHubError(error, `read the earlier reviews of pull request #${pullRequest.number}`)
      })
    ])
    scope = await chooseScope(octokit, pullRequest, inputs, target.action, history, files)
    if (scope === undefined) {
      core.notice(`Nothing new to review in pull request #${pullRequest.number}: its head ${pullRequest.headSha.slice(0, 7)} was reviewed already.`)
      return {}
    }
    diff = selectDiff(scope.files, { exclude: inputs.exclude, maxChars: inputs.maxTotalChars })
    logSelection(diff, scope.files.length)
    if (diff.files.length === 0) {
      const what = scope.since ? `the changes since ${scope.since.slice(0, 7)}` : `its ${files.length} changed files`
      core.notice(`Nothing to review in pull request #${pullRequest.number}: none of ${what} is left after exclusions and binaries.`)
      return {}
    }
    const repositoryInstructions = await repositoryGuidelines(workspace, files)
    server = await booting
    knownSecrets.push(server.password)
    const context = {
      pullRequest,
      extraInstructions: inputs.prompt,
      repositoryInstructions,
      ...(target.trigger ? { requester: { login: target.trigger.author, instructions: target.trigger.instructions } } : {}),
      ...(scope.since ? { increment: { since: scope.since, pullRequestFiles: files.map((file) => file.path) } } : {})
    }
    core.info(`Reviewing pull request #${pullRequest.number} with ${opencode.model} (agent '${opencode.agent}')`)
    const sessions: string[] = []
    core.startGroup('Review progress')
    try {
      review = await reviewDiff(server, context, diff, {
        model: inputs.model,
        agent: opencode.agent,
        variant: inputs.variant,
        timeoutMs: inputs.reviewTimeoutMs,
        maxDiffChars: inputs.maxDiffChars,
        maxSessions: inputs.maxSessions,
        progress: (line) => core.info(redactSecrets(line, knownSecrets)),
        onSession: (sessionId) => {
          sessions.push(sessionId)
          core.setOutput('session-id', sessions.join(','))
        }
      })
    } finally {
      core.endGroup()
    }
  } finally {
    // Also when the diff failed or left nothing: the boot may still be under way.
    stopping = (server ? Promise.resolve(server) : booting.catch(() => undefined)).then(async (started) => {
      await started?.stop()
      core.saveState(STATE_SERVER_PID, '')
    })
    // A review in hand is posted while the server stops; any other way out waits for it.
    if (review === undefined) await stopping
  }

  try {
    const delivery = prepareDelivery(redactReview(review, knownSecrets), {
      minSeverity: inputs.minSeverity,
      inlineComments: inputs.inlineComments,
      pullRequestFiles: files,
      posted: history.posted,
      diff,
      since: scope.since,
      fullReason: scope.fullReason
    })
    const { triage: sorted } = delivery
    if (sorted.repeats.length) core.info(`${sorted.repeats.length} finding(s) were posted on the same lines by an earlier review and are not repeated.`)
    const published = await publishReview(octokit, pullRequest, delivery.content, inputs.commentMode, history.stickyCommentId)
    core.info(`Posted the review with ${published.inlineComments} comment(s) on lines: ${published.url}`)
    await report(pullRequest, published, delivery.markdown, delivery.content.footer, sorted.found)
    const incomplete = review.unreviewed.map(({ files, reason }) => `${files.length} file(s) were not reviewed (${reason}).`)
    const failures = [...incomplete, failOnVerdict(sorted.found, inputs.failOn) ?? []].flat()
    return { failure: failures.length ? failures.join(' ') : undefined }
  } finally {
    await stopping
  }
}

/** The `fail-on` verdict on this run's findings (repeats count: the problem is still there). */
function failOnVerdict(found: readonly Finding[], failOn: Severity | undefined): string | undefined {
  if (!failOn) return undefined
  const blocking = atLeast(found, failOn)
  if (blocking.length === 0) return undefined
  return `The review found ${blocking.length} finding(s) at or above '${failOn}' ('fail-on'): ${blocking.map((finding) => `${finding.severity} in ${finding.file}:${finding.startLine}: ${finding.title}`).join('; ')}`
}

/** Sets the outputs and writes the job summary. */
async function report(pullRequest: PullRequest, published: Published, markdown: string, footer: string, found: readonly Finding[]): Promise<void> {
  core.setOutput('review', markdown)
  core.setOutput('comment-id', published.id)
  core.setOutput('comment-url', published.url)
  core.setOutput('findings', JSON.stringify(countBySeverity(found)))
  core.setOutput('max-severity', highestSeverity(found) ?? '')
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addHeading(`Review of #${pullRequest.number}: ${pullRequest.title}`, 2).addRaw(`${markdown}\n\n${footer}\n`).write()
  }
}

async function review(): Promise<void> {
  const inputs = readInputs()
  const target = resolveEventTarget(github.context, inputs.prNumber, inputs.triggerPhrase)
  if (target.kind === 'skip') {
    core.notice(target.reason)
    return
  }
  // No model anywhere is a mistake worth reporting before any API call.
  requireModel(inputs)
  const octokit = createOctokit(inputs.githubToken)
  const { trigger } = target
  if (trigger && !(await canTrigger(octokit, target.pullRequest, trigger))) {
    core.notice(`@${trigger.author} asked for a review but has no write access to ${target.pullRequest.owner}/${target.pullRequest.repo}: nothing was run.`)
    return
  }
  const react = trigger ? reactionsOn(octokit, target.pullRequest, trigger) : async () => undefined
  await react('started')
  let outcome: Outcome
  try {
    outcome = await reviewPullRequest(inputs, target, octokit)
  } catch (error) {
    await react('failed')
    throw error
  }
  await react('succeeded')
  if (outcome.failure) throw new ActionError(outcome.failure)
}

/** The post step: stops a server the main step started but could not stop (it crashed or was killed). */
function cleanUpAfterMain(): void {
  const pid = Number(core.getState(STATE_SERVER_PID))
  if (pid > 0 && killProcessGroup(pid)) core.info(`Stopped the OpenCode server (pid ${pid}) left by the main step.`)
}

export async function run(): Promise<void> {
  if (core.getState(STATE_IS_POST) === 'true') {
    cleanUpAfterMain()
    return
  }
  core.saveState(STATE_IS_POST, 'true')
  try {
    await review()
  } catch (error) {
    const known = error instanceof ActionError
    core.setFailed(known ? error.message : `Unexpected error: ${errorMessage(error)}`)
    if (!known && error instanceof Error && error.stack) core.debug(error.stack)
  }
}
