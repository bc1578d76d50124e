import * as core from '@actions/core'
import * as github from '@actions/github'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type DiffSelection, type FileDiff, selectDiff } from './diff.js'
import { fetchFileDiffs } from './diff-source.js'
import { ActionError, errorMessage } from './errors.js'
import { createOctokit, explainGitHubError, type Octokit } from './github.js'
import { type ActionInputs, readInputs } from './inputs.js'
import { buildOpencodeConfig, deepMerge, needsDefinition, type OpencodeSetup, resolveModel } from './opencode/config.js'
import { fetchRepositoryAgent } from './opencode/repository-agent.js'
import { escapingLinks } from './opencode/workspace-links.js'
import { scrubEnvironment, secretValuesIn } from './opencode/environment.js'
import { installOpencode, locateOpencode } from './opencode/install.js'
import { createClient, type ReviewResult, runReview } from './opencode/review.js'
import { killProcessGroup, type OpencodeServer, startServer } from './opencode/server.js'
import { buildReviewPrompt } from './prompt.js'
import { composeBody, formatFooter, publishReview } from './publish.js'
import { fetchPullRequest, type PullRequest, resolveEventTarget } from './pull-request.js'
import { redactSecrets } from './redact.js'

const STATE_IS_POST = 'is-post'
const STATE_SERVER_PID = 'opencode-pid'
const REPOSITORY_INSTRUCTIONS = '.github/opencode-review.md'

/** Finds or installs OpenCode and boots it; runs while the pull request and its diff are read. */
async function bootServer(inputs: ActionInputs, opencode: OpencodeSetup, workspace: string): Promise<OpencodeServer> {
  const start = async (binary: string) => {
    const server = await startServer({
      binary,
      cwd: workspace,
      env: { ...scrubEnvironment(process.env, [inputs.githubToken]), ...opencode.environment },
      config: opencode.config,
      startupTimeoutMs: inputs.startupTimeoutMs
    })
    core.saveState(STATE_SERVER_PID, server.pid)
    return server
  }
  const found = await locateOpencode(inputs.opencodeVersion)
  let server = found.verified
    ? await start(found.path)
    : await start(found.path).catch((error) => void core.warning(`The OpenCode on PATH did not start: ${errorMessage(error)}`))
  if (server?.version !== found.version) {
    if (server) core.info(`The OpenCode on PATH is version ${server.version}, not ${found.version}.`)
    await server?.stop()
    server = await start(await installOpencode(found.version))
  }
  core.info(`OpenCode ${server.version} is listening on ${server.url}`)
  return server
}

/** The user's config, plus the agent named by `agent` from the repository's .opencode/agent/ when the config lacks it. */
async function withRepositoryAgent(octokit: Octokit, pullRequest: PullRequest, inputs: ActionInputs): Promise<Record<string, unknown>> {
  if (!needsDefinition(inputs.agent, inputs.config)) return inputs.config
  const agent = await fetchRepositoryAgent(octokit, pullRequest, inputs.agent).catch((error) => {
    throw explainGitHubError(error, `read the agent '${inputs.agent}' from .opencode/agent/`)
  })
  if (agent) core.info(`Using the agent '${inputs.agent}' defined in the repository (base branch ${pullRequest.baseRef})`)
  return agent ? deepMerge({ agent: { [inputs.agent]: agent } }, inputs.config) : inputs.config
}

/** The changed files and what of them goes into the prompt. */
async function readDiff(octokit: Octokit, pullRequest: PullRequest, inputs: ActionInputs): Promise<{ files: FileDiff[]; diff: DiffSelection }> {
  const files = await fetchFileDiffs(octokit, pullRequest).catch((error) => {
    throw explainGitHubError(error, `read the diff of pull request #${pullRequest.number}`)
  })
  const diff = selectDiff(files, { exclude: inputs.exclude, maxChars: inputs.maxDiffChars })
  core.startGroup(`Diff: ${diff.files.length} of ${files.length} files, ${diff.text.length.toLocaleString('en-US')} characters`)
  for (const file of diff.leftOut) core.info(`left out: ${file.path} (${file.reason})`)
  core.endGroup()
  return { files, diff }
}

/** `.github/opencode-review.md` of the workspace, unless the pull request itself edits it. */
async function repositoryGuidelines(workspace: string, files: FileDiff[]): Promise<string> {
  // The pull request's own edits to the guidelines are part of what is reviewed, not instructions.
  if (files.some((file) => file.path === REPOSITORY_INSTRUCTIONS)) {
    core.warning(`This pull request changes ${REPOSITORY_INSTRUCTIONS}; its guidelines are not used for this review.`)
    return ''
  }
  return readFile(path.join(workspace, REPOSITORY_INSTRUCTIONS), 'utf8').catch(() => '')
}

async function review(): Promise<void> {
  const inputs = readInputs()
  const target = resolveEventTarget(github.context, inputs.prNumber)
  if (target.kind === 'skip') {
    core.notice(target.reason)
    return
  }
  // No model anywhere is a mistake worth reporting before any API call.
  resolveModel(inputs)
  const octokit = createOctokit(inputs.githubToken)
  const pullRequest = await fetchPullRequest(octokit, target.pullRequest).catch((error) => {
    throw explainGitHubError(error, `read pull request #${target.pullRequest.number}`)
  })
  if (pullRequest.draft && inputs.skipDrafts) {
    core.notice(`Pull request #${pullRequest.number} is a draft: skipped ('skip-drafts' is true). It is reviewed when marked ready for review.`)
    return
  }
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const links = await escapingLinks(workspace)
  if (links.length) core.warning(`The reviewer may not read these links, which lead out of the workspace or into .git/: ${links.join(', ')}`)
  const opencode = buildOpencodeConfig({ ...inputs, config: await withRepositoryAgent(octokit, pullRequest, inputs) }, links)

  const booting = bootServer(inputs, opencode, workspace)
  // Handled where it is awaited; this keeps an early failure from counting as unhandled meanwhile.
  booting.catch(() => undefined)
  const knownSecrets = [inputs.githubToken, ...secretValuesIn(process.env)]
  let server: OpencodeServer | undefined
  let result: ReviewResult | undefined
  let diff: DiffSelection
  let stopping: Promise<void>
  try {
    const read = await readDiff(octokit, pullRequest, inputs)
    diff = read.diff
    if (diff.files.length === 0) {
      core.notice(`Nothing to review in pull request #${pullRequest.number}: none of its ${read.files.length} changed files is left after exclusions and binaries.`)
      return
    }
    const repositoryInstructions = await repositoryGuidelines(workspace, read.files)
    const prompt = buildReviewPrompt({ pullRequest, diff, extraInstructions: inputs.prompt, repositoryInstructions })

    server = await booting
    knownSecrets.push(server.password)
    core.info(`Reviewing pull request #${pullRequest.number} with ${opencode.model} (agent '${opencode.agent}')`)
    result = await runReview(
      createClient(server),
      { title: `Review of ${pullRequest.owner}/${pullRequest.repo}#${pullRequest.number}`, prompt, model: inputs.model, agent: opencode.agent, variant: inputs.variant, timeoutMs: inputs.reviewTimeoutMs },
      (sessionId) => core.setOutput('session-id', sessionId)
    )
  } finally {
    // Also when the diff failed or left nothing: the boot may still be under way.
    stopping = (server ? Promise.resolve(server) : booting.catch(() => undefined)).then(async (started) => {
      await started?.stop()
      core.saveState(STATE_SERVER_PID, '')
    })
    // A review in hand is posted while the server stops; any other way out waits for it.
    if (result === undefined) await stopping
  }

  try {
    await report(octokit, pullRequest, inputs, redactSecrets(result.markdown, knownSecrets), formatFooter({ model: result.model, filesReviewed: diff.files.length, filesLeftOut: diff.leftOut.length, tokens: result.tokens, cost: result.cost }))
  } finally {
    await stopping
  }
}

/** Posts the review, sets the outputs and writes the job summary. */
async function report(octokit: Octokit, pullRequest: PullRequest, inputs: ActionInputs, markdown: string, footer: string): Promise<void> {
  const published = await publishReview(octokit, pullRequest, composeBody(markdown, footer), inputs.commentMode)
  core.info(`Posted the review: ${published.url}`)
  core.setOutput('review', markdown)
  core.setOutput('comment-id', published.id)
  core.setOutput('comment-url', published.url)
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addHeading(`Review of #${pullRequest.number}: ${pullRequest.title}`, 2).addRaw(`${markdown}\n\n${footer}\n`).write()
  }
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
