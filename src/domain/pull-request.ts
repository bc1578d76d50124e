/** A pull request as the review sees it, and the comment that asked for a review. */

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
  baseRef: string
  headRef: string
  baseSha: string
  headSha: string
  labels: string[]
}

/** Comment events that can ask for a review on demand. */
export const COMMENT_EVENTS = ['issue_comment', 'pull_request_review_comment'] as const

/** A comment that asked for the review (`/review ...`). */
export interface CommentTrigger {
  event: (typeof COMMENT_EVENTS)[number]
  commentId: number
  author: string
  /** GitHub's `author_association` of the comment. */
  association: string
  /** What follows the trigger phrase. */
  instructions: string
  /** A reply on a line of the diff: the comment whose thread it is in. */
  replyTo?: number
  /** The comment's address. */
  url?: string
}
