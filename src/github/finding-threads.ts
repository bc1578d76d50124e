import type { Logger } from '../logger.js'
import { MARKER, readPostedFindings, withoutMarkers } from '../domain/markers.js'
import type { Person, ThreadedFinding, ThreadReply } from '../domain/thread.js'
import type { PullRequest } from '../domain/pull-request.js'
import { explaining, type Octokit } from './client.js'
import { ACCESS_ASSOCIATIONS, hasWriteAccess } from './permissions.js'

/**
 * The threads this action's findings opened on their lines, read through GitHub's GraphQL API (the REST
 * API shows neither who resolved a thread nor whether it is outdated), with what people did in them:
 * resolved it, reacted 👎 on the finding, replied; and whether each of them has write access.
 */

/** Replies, and 👎 on a finding, read per thread; a thread with more is marked truncated. */
const READ_PER_THREAD = 50

const THREADS_QUERY = `
  query FindingThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        reviewThreads(first: 100, after: $cursor) {
          pageInfo { hasNextPage endCursor }
          nodes {
            id
            isOutdated
            isResolved
            viewerCanResolve
            path
            line
            startLine
            resolvedBy { login }
            opening: comments(first: 1) {
              nodes {
                fullDatabaseId
                url
                body
                viewerDidAuthor
                authorAssociation
                author { __typename login }
                originalCommit { oid }
                thumbsDown: reactions(content: THUMBS_DOWN, first: ${READ_PER_THREAD}) {
                  totalCount
                  nodes { user { login } }
                }
              }
            }
            comments(first: ${READ_PER_THREAD + 1}) {
              totalCount
              nodes { url body createdAt viewerDidAuthor authorAssociation author { __typename login } }
            }
          }
        }
      }
    }
  }`

interface Author {
  __typename: string
  login: string
}

interface CommentNode {
  url: string
  body: string
  createdAt: string
  viewerDidAuthor: boolean
  authorAssociation: string
  author: Author | null
}

interface ThreadNode {
  id: string
  isOutdated: boolean
  isResolved: boolean
  viewerCanResolve: boolean
  path: string
  line: number | null
  startLine: number | null
  resolvedBy: { login: string } | null
  opening: {
    nodes: Array<{
      fullDatabaseId: string | null
      url: string
      body: string
      viewerDidAuthor: boolean
      authorAssociation: string
      author: Author | null
      originalCommit: { oid: string } | null
      thumbsDown: { totalCount: number; nodes: Array<{ user: { login: string } | null }> }
    }>
  }
  comments: { totalCount: number; nodes: CommentNode[] }
}

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ThreadNode[] }
    } | null
  } | null
}

/** Every review thread of the pull request, 100 at a time. */
async function readThreadNodes(octokit: Octokit, pullRequest: PullRequest): Promise<ThreadNode[]> {
  const nodes: ThreadNode[] = []
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
    nodes.push(...connection.nodes)
    cursor = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null
  } while (cursor)
  return nodes
}

/** Written by this action: by a bot, by whoever owns the token, or (as history.ts trusts) by someone with access. */
function byActionOrTrusted(comment: Pick<CommentNode, 'author' | 'viewerDidAuthor' | 'authorAssociation'>): boolean {
  return (
    comment.author?.__typename === 'Bot' ||
    comment.viewerDidAuthor ||
    ACCESS_ASSOCIATIONS.includes(comment.authorAssociation)
  )
}

/**
 * The threads the action's findings opened (their first comment holds a finding marker and is the action's: an
 * outsider could forge one), each with its signals. Each person's write access is asked once per run.
 */
export async function readFindingThreads(
  octokit: Octokit,
  pullRequest: PullRequest,
  log: Logger
): Promise<ThreadedFinding[]> {
  return explaining(`read the review threads of pull request #${pullRequest.number}`, async () => {
    const person: PersonOf = (login, bot, association) =>
      bot
        ? Promise.resolve({ login, bot, canWrite: false })
        : hasWriteAccess(octokit, pullRequest, login, association, log).then((canWrite) => ({ login, bot, canWrite }))
    const threads = (await readThreadNodes(octokit, pullRequest)).flatMap((node) => {
      const [opening] = node.opening.nodes
      const [finding] = opening && byActionOrTrusted(opening) ? readPostedFindings(opening.body) : []
      return finding ? [{ node, opening, finding }] : []
    })
    return Promise.all(
      threads.map(async ({ node, opening, finding }): Promise<ThreadedFinding> => {
        const replies = node.comments.nodes.slice(1)
        const reactors = opening.thumbsDown.nodes.flatMap((reaction) => (reaction.user ? [reaction.user.login] : []))
        return {
          finding,
          text: withoutMarkers(opening.body).trim(),
          commentId: Number(opening.fullDatabaseId),
          url: opening.url,
          path: node.path,
          commit: opening.originalCommit?.oid ?? pullRequest.headSha,
          ...(node.line === null ? {} : { current: { startLine: node.startLine ?? node.line, endLine: node.line } }),
          threadId: node.id,
          isOutdated: node.isOutdated,
          isResolved: node.isResolved,
          ...(node.resolvedBy ? { resolvedBy: await person(node.resolvedBy.login, false) } : {}),
          viewerCanResolve: node.viewerCanResolve,
          thumbsDown: await Promise.all(reactors.map((login) => person(login, false))),
          replies: await Promise.all(replies.map((reply) => replyOf(reply, person))),
          truncated:
            node.comments.totalCount > node.comments.nodes.length ||
            opening.thumbsDown.totalCount > opening.thumbsDown.nodes.length
        }
      })
    )
  })
}

/** A person, with their write access (a bot has none): `association` stands in when GitHub would not say. */
type PersonOf = (login: string, bot: boolean, association?: string) => Promise<Person>

async function replyOf(comment: CommentNode, person: PersonOf): Promise<ThreadReply> {
  const bot = comment.author?.__typename === 'Bot'
  return {
    // A deleted account shows no author: it can waive nothing.
    author: comment.author
      ? await person(comment.author.login, bot, comment.authorAssociation)
      : { login: 'ghost', bot: false, canWrite: false },
    body: withoutMarkers(comment.body).trim(),
    url: comment.url,
    createdAt: comment.createdAt,
    // The action's answers carry its marker; a person writing with the same token does not add it.
    byAction: (bot || comment.viewerDidAuthor) && comment.body.includes(MARKER)
  }
}
