import { COMMENT_EVENTS, type CommentTrigger, type PullRequest, type PullRequestRef } from '../domain/pull-request.js'
import type * as github from '@actions/github'
import { ActionError } from '../errors.js'
import { explaining, type Octokit } from './client.js'

type Context = typeof github.context

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'] as const
/** The pull request events' actions that review it: a workflow's `types` list them (`ready_for_review`: a draft is skipped until then). */
export const REVIEWED_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const

/** What the triggering event asks for: a pull request to review, or a reason to skip. */
export type EventTarget =
  | {
      kind: 'review'
      pullRequest: PullRequestRef
      action: string
      trigger?: CommentTrigger
      /** The trigger label that was added: removed once the review ends. */
      label?: string
    }
  | { kind: 'skip'; reason: string }

/** The instructions after the phrase, or undefined when the comment does not start with it (`/reviewer` does not count). */
export function instructionsAfter(body: string, phrase: string): string | undefined {
  const text = body.trimStart()
  if (!text.toLowerCase().startsWith(phrase.toLowerCase())) return undefined
  const rest = text.slice(phrase.length)
  return rest === '' || /^\s/.test(rest) ? rest.trim() : undefined
}

function commentTarget(context: Context, prNumberInput: number | undefined, triggerPhrase: string): EventTarget {
  const event = context.eventName as CommentTrigger['event']
  const { payload } = context
  const { owner, repo } = context.repo
  if (payload.action !== 'created')
    return { kind: 'skip', reason: `Only new comments ask for a review; this one was ${String(payload.action)}.` }
  if (event === 'issue_comment' && !payload.issue?.pull_request)
    return { kind: 'skip', reason: 'The comment is on an issue, not a pull request.' }
  const comment = payload.comment as {
    id: number
    body?: string
    user?: { login?: string }
    author_association?: string
    in_reply_to_id?: number
    html_url?: string
  }
  const instructions = instructionsAfter(comment.body ?? '', triggerPhrase)
  if (instructions === undefined) return { kind: 'skip', reason: `The comment does not start with '${triggerPhrase}'.` }
  const number = prNumberInput ?? (event === 'issue_comment' ? payload.issue?.number : payload.pull_request?.number)
  if (typeof number !== 'number')
    throw new ActionError(`The '${event}' event payload has no pull request number; pass the input 'pr-number'.`)
  const trigger = {
    event,
    commentId: comment.id,
    author: comment.user?.login ?? 'unknown',
    association: comment.author_association ?? 'NONE',
    instructions,
    ...(typeof comment.in_reply_to_id === 'number' ? { replyTo: comment.in_reply_to_id } : {}),
    ...(typeof comment.html_url === 'string' ? { url: comment.html_url } : {})
  }
  return { kind: 'review', pullRequest: { owner, repo, number }, action: 'comment', trigger }
}

/** A `labeled` event: a review when the label is the trigger label, else a skip. */
function labelTarget(
  context: Context,
  prNumberInput: number | undefined,
  triggerLabel: string | undefined
): EventTarget {
  const added = String(context.payload.label?.name ?? '')
  if (!triggerLabel || added.toLowerCase() !== triggerLabel.toLowerCase())
    return {
      kind: 'skip',
      reason: `The label '${added}' is not the trigger label${triggerLabel ? ` '${triggerLabel}'` : " (input 'trigger-label' is empty)"}: nothing to review.`
    }
  const { owner, repo } = context.repo
  return {
    kind: 'review',
    pullRequest: { owner, repo, number: pullRequestNumber(context, prNumberInput) },
    action: 'labeled',
    label: added
  }
}

/** `pr-number`, else the number in a pull request event's payload. */
function pullRequestNumber(context: Context, prNumberInput: number | undefined): number {
  const number = prNumberInput ?? context.payload.pull_request?.number
  if (typeof number !== 'number') {
    throw new ActionError(
      `The '${context.eventName}' event payload has no pull request number; pass the input 'pr-number'.`
    )
  }
  return number
}

export function resolveEventTarget(
  context: Context,
  prNumberInput: number | undefined,
  triggerPhrase: string,
  triggerLabel?: string
): EventTarget {
  const { owner, repo } = context.repo
  if (context.eventName === 'workflow_dispatch') {
    if (prNumberInput === undefined) {
      throw new ActionError(
        "On 'workflow_dispatch' the action needs the input 'pr-number': add a workflow_dispatch input and pass it as `pr-number: ${{ inputs.pr-number }}`."
      )
    }
    return { kind: 'review', pullRequest: { owner, repo, number: prNumberInput }, action: 'dispatch' }
  }
  if ((COMMENT_EVENTS as readonly string[]).includes(context.eventName))
    return commentTarget(context, prNumberInput, triggerPhrase)
  if (!(PULL_REQUEST_EVENTS as readonly string[]).includes(context.eventName)) {
    throw new ActionError(
      `The event '${context.eventName}' is not supported: run this action on 'pull_request', 'pull_request_target', 'issue_comment' ('${triggerPhrase}' comments), 'pull_request_review_comment' or 'workflow_dispatch' (with 'pr-number').`
    )
  }
  const action = String(context.payload.action ?? '')
  if (action === 'labeled') return labelTarget(context, prNumberInput, triggerLabel)
  if (!(REVIEWED_ACTIONS as readonly string[]).includes(action)) {
    return {
      kind: 'skip',
      reason: `Nothing to review on '${context.eventName}' action '${action}': reviews run on ${REVIEWED_ACTIONS.join(', ')}.`
    }
  }
  return { kind: 'review', pullRequest: { owner, repo, number: pullRequestNumber(context, prNumberInput) }, action }
}

/** Reads the pull request fresh from the API, so a re-run reviews its current head. */
export async function fetchPullRequest(octokit: Octokit, ref: PullRequestRef): Promise<PullRequest> {
  return explaining(`read pull request #${ref.number}`, async () => {
    const { data } = await octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.number })
    return {
      ...ref,
      title: data.title,
      body: data.body ?? '',
      author: data.user?.login ?? 'unknown',
      draft: data.draft === true,
      baseRef: data.base.ref,
      headRef: data.head.ref,
      baseSha: data.base.sha,
      headSha: data.head.sha,
      labels: data.labels.map((label) => label.name)
    }
  })
}
