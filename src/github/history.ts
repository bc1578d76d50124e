import { headIn, MARKER, type PostedFinding, readPostedFindings, standingIn } from '../domain/markers.js'
import { explaining, type Octokit } from './client.js'
import { ACCESS_ASSOCIATIONS } from './permissions.js'
import type { CommentMode } from '../settings.js'
import type { PullRequest } from '../domain/pull-request.js'

/**
 * What earlier runs of this action left on a pull request, read back from the
 * hidden markers in what they posted: the head they reviewed (for incremental
 * reviews), the findings they posted (never posted twice, judged again each run)
 * and the sticky comment.
 */

export interface ReviewHistory {
  /** The head commit of the latest review this action posted. */
  lastReviewedHead?: string
  posted: PostedFinding[]
  /** The findings listed in the bodies of its reviews and comments (those on lines open threads). */
  listed: ListedFinding[]
  /** The keys of the findings that stood when the latest review was posted, when it recorded them. */
  lastStanding?: string[]
  stickyCommentId?: number
  /** This action's own reviews that still request changes: a later run below `fail-on` dismisses them. */
  changesRequested: number[]
}

interface Authored {
  body?: string | null
  user?: { type?: string } | null
  author_association?: string
}

/** A finding listed in a body: it has no thread of its own. */
export interface ListedFinding {
  posted: PostedFinding
  /** The review or comment that lists it. */
  url: string
  /** Listed in the sticky comment, which this run rewrites. */
  sticky: boolean
}

/** Only what the action itself (a bot) or people with access posted counts: an outsider could forge markers. */
export function trusted(item: Authored): boolean {
  return item.user?.type === 'Bot' || ACCESS_ASSOCIATIONS.includes(item.author_association ?? '')
}

export async function readReviewHistory(
  octokit: Octokit,
  pullRequest: PullRequest,
  mode: CommentMode
): Promise<ReviewHistory> {
  return explaining(`read the earlier reviews of pull request #${pullRequest.number}`, async () => {
    const params = { owner: pullRequest.owner, repo: pullRequest.repo, per_page: 100 }
    const [reviews, comments, reviewComments] = await Promise.all([
      octokit.paginate(octokit.rest.pulls.listReviews, { ...params, pull_number: pullRequest.number }),
      octokit.paginate(octokit.rest.issues.listComments, { ...params, issue_number: pullRequest.number }),
      octokit.paginate(octokit.rest.pulls.listReviewComments, { ...params, pull_number: pullRequest.number })
    ])
    const ours = [
      ...reviews.filter(trusted).map((review) => ({
        body: review.body ?? '',
        at: review.submitted_at ?? '',
        id: undefined as number | undefined,
        url: review.html_url
      })),
      ...comments.filter(trusted).map((comment) => ({
        body: comment.body ?? '',
        at: comment.updated_at,
        id: comment.id as number | undefined,
        url: comment.html_url
      }))
    ].filter((item) => item.body.includes(MARKER))
    const latestHead = ours
      .filter((item) => headIn(item.body))
      .sort((a, b) => a.at.localeCompare(b.at))
      .at(-1)
    const stickyCommentId = mode === 'sticky' ? ours.find((item) => item.id !== undefined)?.id : undefined
    const posted = [
      // The sticky comment is rewritten by this run: what it listed is listed again if still found.
      ...ours
        .filter((item) => item.id === undefined || item.id !== stickyCommentId)
        .flatMap((item) => readPostedFindings(item.body)),
      // GitHub moves a comment's line as later commits shift it; both places count.
      ...reviewComments.filter(trusted).flatMap((comment) => {
        const [earlier] = readPostedFindings(comment.body)
        if (!earlier) return []
        const places = [
          { startLine: comment.start_line ?? comment.line, endLine: comment.line },
          { startLine: comment.original_start_line ?? comment.original_line, endLine: comment.original_line }
        ]
        return places.flatMap(({ startLine, endLine }) =>
          startLine && endLine ? [{ key: earlier.key, startLine, endLine }] : []
        )
      })
    ]
    // A person's review is never dismissed: only the action's own, a bot's with the marker.
    const changesRequested = reviews
      .filter(
        (review) =>
          review.state === 'CHANGES_REQUESTED' && review.user?.type === 'Bot' && (review.body ?? '').includes(MARKER)
      )
      .map((review) => review.id)
    const listed = ours.flatMap((item) =>
      readPostedFindings(item.body).map((finding) => ({
        posted: finding,
        url: item.url,
        sticky: item.id !== undefined && item.id === stickyCommentId
      }))
    )
    const lastStanding = latestHead && standingIn(latestHead.body)
    return {
      lastReviewedHead: latestHead && headIn(latestHead.body),
      posted,
      listed,
      ...(lastStanding ? { lastStanding } : {}),
      stickyCommentId,
      changesRequested
    }
  })
}
