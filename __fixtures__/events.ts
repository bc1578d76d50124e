import { createRequire } from 'node:module'

/** Real webhook payloads from @octokit/webhooks-examples, patched to the pull request a test needs. */

type Payload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const require = createRequire(import.meta.url)
const examples: Array<{ name: string; examples: Payload[] }> = require('@octokit/webhooks-examples')

function exampleOf(event: string, action?: string): Payload {
  const all = examples.find((entry) => entry.name === event)?.examples ?? []
  const found = all.find((payload) => action === undefined || payload.action === action)
  if (!found)
    throw new Error(`@octokit/webhooks-examples has no '${event}' example${action ? ` with action '${action}'` : ''}`)
  return structuredClone(found)
}

export interface PullRequestPatch {
  owner?: string
  repo?: string
  number?: number
  draft?: boolean
  headSha?: string
  /** On `labeled`: the label that was added. */
  label?: string
  /** `owner/repo` of the fork the pull request comes from; otherwise a branch of the repository. */
  fork?: string
}

export function pullRequestEvent(action: string, patch: PullRequestPatch = {}): Payload {
  const payload = exampleOf('pull_request', action)
  const owner = patch.owner ?? 'octo-org'
  const repo = patch.repo ?? 'octo-repo'
  payload.number = patch.number ?? payload.number
  payload.pull_request.number = payload.number
  if (patch.draft !== undefined) payload.pull_request.draft = patch.draft
  if (patch.headSha) payload.pull_request.head.sha = patch.headSha
  if (patch.label) payload.label.name = patch.label
  if (patch.fork) Object.assign(payload.pull_request.head.repo, { full_name: patch.fork, fork: true })
  payload.repository.name = repo
  payload.repository.full_name = `${owner}/${repo}`
  payload.repository.owner.login = owner
  return payload
}

export function workflowDispatchEvent(inputs: Record<string, string> = {}): Payload {
  return { ...exampleOf('workflow_dispatch'), inputs }
}

export interface CommentPatch {
  action?: string
  number?: number
  body?: string
  login?: string
  association?: string
  /** An issue_comment on an issue rather than a pull request. */
  onIssue?: boolean
  /** A pull_request_review_comment that replies in the thread this comment opened. */
  inReplyTo?: number
}

/** A comment on a pull request: `issue_comment` (the conversation) or `pull_request_review_comment` (a line). */
export function commentEvent(
  event: 'issue_comment' | 'pull_request_review_comment',
  patch: CommentPatch = {}
): Payload {
  const payload = exampleOf(event, patch.action ?? 'created')
  const number = patch.number ?? 7
  if (patch.body !== undefined) payload.comment.body = patch.body
  if (patch.login) payload.comment.user.login = patch.login
  if (patch.association) payload.comment.author_association = patch.association
  if (event === 'pull_request_review_comment') {
    payload.pull_request.number = number
    if (patch.inReplyTo !== undefined) payload.comment.in_reply_to_id = patch.inReplyTo
  } else {
    payload.issue.number = number
    // GitHub marks an issue that is a pull request with this object.
    if (!patch.onIssue)
      payload.issue.pull_request = {
        url: `https://api.github.com/repos/octo-org/octo-repo/pulls/${number}`,
        html_url: `https://github.com/octo-org/octo-repo/pull/${number}`,
        diff_url: '',
        patch_url: ''
      }
  }
  payload.repository.name = 'octo-repo'
  payload.repository.full_name = 'octo-org/octo-repo'
  payload.repository.owner.login = 'octo-org'
  return payload
}
