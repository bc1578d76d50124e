import { createRequire } from 'node:module'

/** Real webhook payloads from @octokit/webhooks-examples, patched to the pull request a test needs. */

type Payload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const require = createRequire(import.meta.url)
const examples: Array<{ name: string; examples: Payload[] }> = require('@octokit/webhooks-examples')

function exampleOf(event: string, action?: string): Payload {
  const all = examples.find((entry) => entry.name === event)?.examples ?? []
  const found = all.find((payload) => action === undefined || payload.action === action)
  if (!found) throw new Error(`@octokit/webhooks-examples has no '${event}' example${action ? ` with action '${action}'` : ''}`)
  return structuredClone(found)
}

export interface PullRequestPatch {
  owner?: string
  repo?: string
  number?: number
  draft?: boolean
  headSha?: string
}

export function pullRequestEvent(action: string, patch: PullRequestPatch = {}): Payload {
  const payload = exampleOf('pull_request', action)
  const owner = patch.owner ?? 'octo-org'
  const repo = patch.repo ?? 'octo-repo'
  payload.number = patch.number ?? payload.number
  payload.pull_request.number = payload.number
  if (patch.draft !== undefined) payload.pull_request.draft = patch.draft
  if (patch.headSha) payload.pull_request.head.sha = patch.headSha
  payload.repository.name = repo
  payload.repository.full_name = `${owner}/${repo}`
  payload.repository.owner.login = owner
  return payload
}

export function workflowDispatchEvent(inputs: Record<string, string> = {}): Payload {
  return { ...exampleOf('workflow_dispatch'), inputs }
}

export function issueCommentEvent(): Payload {
  return exampleOf('issue_comment', 'created')
}
