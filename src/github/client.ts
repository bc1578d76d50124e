import * as github from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { ActionError } from '../errors.js'
import type { Logger } from '../logger.js'

export type Octokit = ReturnType<typeof github.getOctokit>

const MAX_RATE_LIMIT_RETRIES = 3

/**
 * An Octokit that retries GitHub's 5xx answers and waits out rate limits
 * (honouring `retry-after`), so a flaky API does not lose a paid-for review.
 */
export function createOctokit(token: string, log: Logger): Octokit {
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      log.warning(`GitHub ${kind} hit on ${options.method} ${options.url}; retry ${retryCount + 1} in ${retryAfter}s.`)
      return retryCount < MAX_RATE_LIMIT_RETRIES
    }
  return github.getOctokit(
    token,
    {
      // 406 is GitHub's answer to a diff too large to render: retrying cannot help.
      retry: { doNotRetry: [400, 401, 403, 404, 406, 410, 422, 451] },
      throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') }
    },
    retry,
    throttling
  )
}

interface RequestErrorLike {
  status: number
  message: string
  /** GitHub's answer: absent when none came (Octokit then reports status 500). */
  response?: unknown
}

export function isRequestError(error: unknown): error is RequestErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
}

/**
 * Turns GitHub's refusals into messages that say how to fix the workflow.
 * `doing` completes "Could not …", e.g. "post the review on pull request #3".
 */
function explainGitHubError(error: unknown, doing: string): unknown {
  if (!isRequestError(error)) return error
  if (error.response === undefined) {
    return new ActionError(
      `Could not ${doing}: GitHub could not be reached (${error.message}). Check the network connection, a proxy, or GITHUB_API_URL for GitHub Enterprise Server.`,
      { cause: error }
    )
  }
  if (error.status === 403 && /not accessible by integration/i.test(error.message)) {
    return new ActionError(
      `Could not ${doing}: GitHub answered 403 "Resource not accessible by integration". ` +
        'The token may not write to this pull request. Give the job `permissions: { contents: read, pull-requests: write }` ' +
        "(sticky and comment modes also need `issues: write`); for pull requests from forks, the GITHUB_TOKEN of a 'pull_request' run is read-only, " +
        "so run the review on 'pull_request_target' (the action never executes the PR's code) or pass a token with access in 'github-token'.",
      { cause: error }
    )
  }
  if (error.status === 401) {
    return new ActionError(
      `Could not ${doing}: GitHub rejected the token (401 Bad credentials). Check the 'github-token' input.`,
      { cause: error }
    )
  }
  if (error.status === 404) {
    return new ActionError(
      `Could not ${doing}: GitHub answered 404 Not Found. Check 'pr-number' and that the token can read this repository.`,
      {
        cause: error
      }
    )
  }
  return new ActionError(`Could not ${doing}: GitHub answered ${error.status}: ${error.message}`, { cause: error })
}

/** Runs GitHub calls whose refusal becomes an error that says what to change; `doing` as for explainGitHubError. */
export async function explaining<T>(doing: string, calls: () => Promise<T>): Promise<T> {
  try {
    return await calls()
  } catch (error) {
    throw explainGitHubError(error, doing)
  }
}
