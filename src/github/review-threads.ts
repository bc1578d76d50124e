import type { Octokit } from './client.js'
import type { PullRequest } from '../domain/pull-request.js'

/**
 * A pull request's review threads, read and resolved through GitHub's GraphQL
 * API: the REST API shows neither whether a thread is outdated nor a way to resolve it.
 */

/** A thread longer than this is a conversation: it is read as truncated, and left alone. */
const COMMENTS_READ = 20

export interface ThreadComment {
  body: string
  /** Written by a GitHub App or another bot. */
  byBot: boolean
  /** Written by whoever owns the token: this action. */
  byViewer: boolean
}

export interface ReviewThread {
  id: string
  /** GitHub's verdict: the lines the thread sits on changed since. */
  isOutdated: boolean
  isResolved: boolean
  /** Whether this token may resolve it: GitHub asks for `contents: write`, whatever `pull-requests` allows. */
  viewerCanResolve: boolean
  /** In order: the first one opened the thread, the others reply. */
  comments: ThreadComment[]
  /** The thread holds more comments than `comments`. */
  truncated: boolean
}

const THREADS_QUERY = `
  query ReviewThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        reviewThreads(first: 100, after: $cursor) {
          pageInfo { hasNextPage endCursor }
          nodes {
            id
            isOutdated
            isResolved
            viewerCanResolve
            comments(first: ${COMMENTS_READ}) {
              totalCount
              nodes { body viewerDidAuthor author { __typename } }
            }
          }
        }
      }
    }
  }`

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null }
        nodes: Array<{
          id: string
          isOutdated: boolean
          isResolved: boolean
          viewerCanResolve: boolean
          comments: {
            totalCount: number
            nodes: Array<{ body: string; viewerDidAuthor: boolean; author: { __typename: string } | null }>
          }
        }>
      }
    } | null
  } | null
}

/** Every review thread of the pull request, 100 at a time. */
export async function readReviewThreads(octokit: Octokit, pullRequest: PullRequest): Promise<ReviewThread[]> {
  const threads: ReviewThread[] = []
  let cursor: string | null = null
  do {
    const page: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, {
      owner: pullRequest.owner,
      repo: pullRequest.repo,
      number: pullRequest.number,
      cursor
    })
    const connection = page.repository?.pullRequest?.reviewThreads
    if (!connection) throw new Error(`GitHub did not show pull request #${pullRequest.number}`)
    for (const node of connection.nodes) {
      const comments = node.comments.nodes.map((comment) => ({
        body: comment.body,
        byBot: comment.author?.__typename === 'Bot',
        byViewer: comment.viewerDidAuthor
      }))
      threads.push({
        id: node.id,
        isOutdated: node.isOutdated,
        isResolved: node.isResolved,
        viewerCanResolve: node.viewerCanResolve,
        comments,
        truncated: node.comments.totalCount > comments.length
      })
    }
    cursor = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null
  } while (cursor)
  return threads
}

const RESOLVE_MUTATION = `
  mutation ResolveReviewThread($thread: ID!) {
    resolveReviewThread(input: { threadId: $thread }) { thread { id isResolved } }
  }`

export async function resolveReviewThread(octokit: Octokit, threadId: string): Promise<void> {
  await octokit.graphql(RESOLVE_MUTATION, { thread: threadId })
}
