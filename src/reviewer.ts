import { type CommitSource, gitDirectoryOf, resolveReviewedCommit } from './git/reviewed-commit.js'
import type { Octokit } from './github/client.js'
import { fetchRepositoryAgent } from './github/repository-agent.js'
import type { PullRequest } from './domain/pull-request.js'
import type { ReviewSettings } from './settings.js'
import type { Logger } from './logger.js'
import { type BootHooks, bootServer, type ServerFootprint } from './opencode/boot.js'
import { buildOpencodeConfig, deepMerge, needsDefinition, type OpencodeSetup } from './opencode/config.js'
import { refusePullRequestFileReferences } from './opencode/file-references.js'
import type { OwnOpencode } from './opencode/home.js'
import type { AskingHooks } from './opencode/asking.js'
import { redactSecrets } from './review/redact.js'
import type { OpencodeServer } from './opencode/server.js'
import type { WorkspaceSource } from './workspace/source.js'

/**
 * The read-only reviewer the review and the answer in a thread both ask: OpenCode booted on what
 * it may read, with the user's config and the repository's agent, and what a run of it is told.
 */

export interface PipelineHooks {
  log: Logger
  /** Values never to appear in what is logged or posted. */
  secrets: string[]
  /** Each line of the agents' live progress. */
  progress: (line: string) => void
  /** The server once it runs, undefined once it is stopped: whoever must clean up after it if this process is killed. */
  onServer: (server: ServerFootprint | undefined) => void
  /** The developer's OpenCode config and credentials, for the local command. */
  ownOpencode?: OwnOpencode
  onSession: (sessionId: string) => void
  /** A cancelled run aborts the sessions before the server stops. */
  cancel: AbortSignal
}

/** Where a run's messages report: its live progress with the run's secrets redacted, its log, its sessions, its cancel. */
export function askingHooks(hooks: PipelineHooks): AskingHooks {
  return {
    progress: (line) => hooks.progress(redactSecrets(line, hooks.secrets)),
    log: hooks.log,
    onSession: hooks.onSession,
    cancel: hooks.cancel
  }
}

/** What the reviewer reads: a commit of a pull request's, out of git, or a developer's own working tree. */
export type ReviewedFiles = { kind: 'commit'; source: CommitSource } | { kind: 'working-tree'; dir: string }

/** The commit checked out in `checkout`: a benchmark's pull request. */
export function commitOfCheckout(checkout: string): ReviewedFiles {
  return { kind: 'commit', source: { checkout, revision: 'HEAD' } }
}

/**
 * A pull request's head, read out of git in `checkout`: the action's checkout (`checked-out`), which
 * may hold the head, a merge of it or the base (whose clone then fetches the head without checking
 * it out), or the developer's clone, which the command may run in from a folder of.
 */
export function pullRequestFiles(
  checkout: string,
  commit: 'checked-out' | 'pull-request-head',
  pullRequest: PullRequest
): ReviewedFiles {
  const head = { checkout, revision: pullRequest.headSha, fetch: `refs/pull/${pullRequest.number}/head` }
  return {
    kind: 'commit',
    source: commit === 'checked-out' ? { ...head, checkedOut: true } : { ...head, enclosing: true }
  }
}

/** What the workspace's tools read of `reviewed`. */
async function workspaceOf(reviewed: ReviewedFiles, log: Logger): Promise<WorkspaceSource> {
  if (reviewed.kind === 'commit') {
    const commit = await resolveReviewedCommit(reviewed.source, log)
    return commit ? { kind: 'commit', ...commit } : { kind: 'none' }
  }
  const gitDir = await gitDirectoryOf(reviewed.dir, true)
  return gitDir ? { kind: 'working-tree', gitDir, root: reviewed.dir } : { kind: 'none' }
}

/** The user's config, plus the agent named by `agent` from the repository's .opencode/agent/ when the config lacks it (a pull request's: `octokit` reads it). */
async function withRepositoryAgent(
  log: Logger,
  octokit: Octokit | undefined,
  pullRequest: PullRequest,
  settings: ReviewSettings
): Promise<Record<string, unknown>> {
  if (!octokit || !needsDefinition(settings.agent, settings.config)) return settings.config
  const agent = await fetchRepositoryAgent(octokit, pullRequest, settings.agent)
  if (agent)
    log.info(`Using the agent '${settings.agent}' defined in the repository (base branch ${pullRequest.baseRef})`)
  return agent ? deepMerge({ agent: { [settings.agent]: agent } }, settings.config) : settings.config
}

/**
 * Starts booting OpenCode, read-only, with the user's config and the repository's agent (read with
 * `octokit` for a pull request), its tools reading `reviewed`: a pull request's commit out of git, with
 * OpenCode in an empty folder of the run's own; or a developer's working tree, with OpenCode in it.
 * `opencode` is the setup it boots with.
 */
export async function bootReviewer(
  octokit: Octokit | undefined,
  pullRequest: PullRequest,
  reviewed: ReviewedFiles,
  settings: ReviewSettings,
  hooks: PipelineHooks
): Promise<{ booting: Promise<OpencodeServer>; opencode: OpencodeSetup }> {
  const { log } = hooks
  const config = await withRepositoryAgent(log, octokit, pullRequest, settings)
  const opencode = buildOpencodeConfig({ ...settings, config })
  if (reviewed.kind === 'commit') refusePullRequestFileReferences(opencode.config, reviewed.source.checkout)
  const bootHooks: BootHooks = {
    secrets: hooks.secrets,
    log,
    onStarted: hooks.onServer,
    onStopped: () => hooks.onServer(undefined)
  }
  const booting = workspaceOf(reviewed, log).then((workspace) =>
    bootServer(
      {
        opencodeVersion: settings.opencodeVersion,
        startupTimeoutMs: settings.startupTimeoutMs,
        ownOpencode: hooks.ownOpencode,
        projectDir: reviewed.kind === 'working-tree' ? reviewed.dir : undefined,
        pullRequestFiles: reviewed.kind === 'commit'
      },
      buildOpencodeConfig({ ...settings, config }, workspace),
      bootHooks
    )
  )
  return { booting, opencode }
}
