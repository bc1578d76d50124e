import type * as github from '@actions/github'
import { ActionError } from './errors.js'
import type { Octokit } from './github.js'

type Context = typeof github.context

export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

export interface PullRequest extends PullRequestRef {
  title: string
  body: string
  author: string
  draft: boolean
  url: string
  baseRef: string
  headRef: string
  baseSha: string
  headSha: string
  /** `owner/repo` of the head branch: differs from the base repository for a fork. */
  headRepository: string
}

export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'] as const
export const REVIEWED_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const

/** What the triggering event asks for: a pull request to review, or a reason to skip. */
export type EventTarget = { kind: 'review'; pullRequest: PullRequestRef } | { kind: 'skip'; reason: string }

export function resolveEventTarget(context: Context, prNumberInput: number | undefined): EventTarget {
  const { owner, repo } = context.repo
  if (context.eventName === 'workflow_dispatch') {
    if (prNumberInput === undefined) {
      throw new ActionError(
        "On 'workflow_dispatch' the action needs the input 'pr-number': add a workflow_dispatch input and pass it as `pr-number: ${{ inputs.pr-number }}`."
      )
    }
    return { kind: 'review', pullRequest: { owner, repo, number: prNumberInput } }
  }
  if (!(PULL_REQUEST_EVENTS as readonly string[]).includes(context.eventName)) {
    throw new ActionError(
      `The event '${context.eventName}' is not supported: run this action on 'pull_request', 'pull_request_target' or 'workflow_dispatch' (with 'pr-number').`
    )
  }
  const action = String(context.payload.action ?? '')
  if (!(REVIEWED_ACTIONS as readonly string[]).includes(action)) {
    return { kind: 'skip', reason: `Nothing to review on '${context.eventName}' action '${action}': reviews run on ${REVIEWED_ACTIONS.join(', ')}.` }
  }
  const number = prNumberInput ?? context.payload.pull_request?.number
  if (typeof number !== 'number') {
    throw new ActionError(`The '${context.eventName}' event payload has no pull request number; pass the input 'pr-number'.`)
  }
  return { kind: 'review', pullRequest: { owner, repo, number } }
}

/** Reads the pull request fresh from the API, so a re-run reviews its current head. */
export async function fetchPullRequest(octokit: Octokit, ref: PullRequestRef): Promise<PullRequest> {
  const { data } = await octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.number })
  return {
    ...ref,
    title: data.title,
    body: data.body ?? '',
    author: data.user?.login ?? 'unknown',
    draft: data.draft === true,
    url: data.html_url,
    baseRef: data.base.ref,
    headRef: data.head.ref,
    baseSha: data.base.sha,
    headSha: data.head.sha,
    headRepository: data.head.repo?.full_name ?? `${ref.owner}/${ref.repo}`
  }
}
