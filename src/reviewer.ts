import path from 'node:path'
import { type SnapshotSource, snapshotReviewedFiles } from './git/snapshot.js'
import type { Octokit } from './github/client.js'
import { fetchRepositoryAgent } from './github/repository-agent.js'
import type { PullRequest } from './domain/pull-request.js'
import type { ReviewSettings } from './settings.js'
import type { Logger } from './logger.js'
import { type BootHooks, bootServer, type ServerFootprint } from './opencode/boot.js'
import { buildOpencodeConfig, deepMerge, needsDefinition, type OpencodeSetup } from './opencode/config.js'
import type { OwnOpencode } from './opencode/home.js'
import type { AskingHooks } from './opencode/asking.js'
import { redactSecrets } from './review/redact.js'
import type { OpencodeServer } from './opencode/server.js'
import { bootDenyingLinks } from './opencode/workspace-links.js'

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

/** What the reviewer reads: a snapshot of a pull request's files, or a developer's own checkout. */
export type ReviewedFiles = { kind: 'snapshot'; source: SnapshotSource } | { kind: 'checkout'; dir: string }

/** A snapshot of the commit checked out in `checkout`: the action's pull request, a benchmark's. */
export function snapshotOfCheckout(checkout: string): ReviewedFiles {
  return { kind: 'snapshot', source: { checkout, revision: 'HEAD' } }
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
 * `octokit` for a pull request), on `reviewed`: a pull request's snapshot, written into the run's
 * directory; or a developer's checkout, links out of it denied. `opencode` is the setup it boots with.
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
  const bootOptions = {
    opencodeVersion: settings.opencodeVersion,
    startupTimeoutMs: settings.startupTimeoutMs,
    ownOpencode: hooks.ownOpencode
  }
  const bootHooks: BootHooks = {
    secrets: hooks.secrets,
    log,
    onStarted: hooks.onServer,
    onStopped: () => hooks.onServer(undefined)
  }
  const opencode = buildOpencodeConfig({ ...settings, config })
  if (reviewed.kind === 'snapshot') {
    const workspace = (runDir: string) => snapshotReviewedFiles(reviewed.source, path.join(runDir, 'workspace'), log)
    return {
      booting: bootServer({ ...bootOptions, workspace, pullRequestFiles: true }, opencode, bootHooks),
      opencode
    }
  }
  const booting = bootDenyingLinks(
    reviewed.dir,
    (links) =>
      bootServer(
        { ...bootOptions, workspace: async () => reviewed.dir, pullRequestFiles: false },
        buildOpencodeConfig({ ...settings, config }, links),
        bootHooks
      ),
    log
  )
  return { booting, opencode }
}
