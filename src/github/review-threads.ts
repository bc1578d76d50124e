import type { Octokit } from './client.js'

/** Resolving a review thread, through GitHub's GraphQL API: the REST API has no way to. */

const RESOLVE_MUTATION = `
  mutation ResolveReviewThread($thread: ID!) {
    resolveReviewThread(input: { threadId: $thread }) { thread { id isResolved } }
  }`

export async function resolveReviewThread(octokit: Octokit, threadId: string): Promise<void> {
  await octokit.graphql(RESOLVE_MUTATION, { thread: threadId })
}
