import { ActionError } from '../errors.js'
import { createOctokit } from '../github/client.js'
import type { Logger } from '../logger.js'
import type { ReviewSource } from '../pipeline.js'
import type { CliOptions } from './args.js'

/** What the command reviews: the local branch, or with --pr a GitHub pull request (posted to only with --post). */
export function reviewSource(options: CliOptions, cwd: string, token: string | undefined, log: Logger): ReviewSource {
  if (!options.pullRequest) return { kind: 'local-branch', cwd, base: options.base }
  if (!token) {
    throw new ActionError(
      '--pr needs a GitHub token: set GITHUB_TOKEN (or GH_TOKEN), for example `GITHUB_TOKEN=$(gh auth token)`.'
    )
  }
  const octokit = createOctokit(token, log)
  // A person asked for this review: no skip rules. The reviewer reads the pull request's head out of the
  // object store of the clone the command runs in (fetched into it when missing), never a checkout of it.
  return {
    kind: 'pull-request',
    octokit,
    ref: options.pullRequest,
    action: 'command',
    automatic: false,
    post: options.post,
    checkout: cwd,
    commit: 'pull-request-head'
  }
}
