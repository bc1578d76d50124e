import type { PostedFinding } from './markers.js'

/** The threads of the action's findings: one a question is about and the file around it; each with what people did in it. */

export interface ThreadComment {
  author: string
  /** The comment's markdown, without the action's hidden markers. */
  body: string
}

export interface FindingThread {
  /** The comment that opened the thread: the one replies go to. */
  rootId: number
  path: string
  /** The lines the finding sits on, in `commit`. */
  startLine: number
  endLine: number
  /** The commit those lines are counted in: the latest one for a current thread, the original one for an outdated thread. */
  commit: string
  /** The finding as posted. */
  finding: string
  /** The replies before the question, in order; the earliest are left out of a long thread. */
  replies: ThreadComment[]
  /** Replies left out of `replies`. */
  earlierReplies: number
}

export interface FileExcerpt {
  /** Numbered lines around the finding, or why the file could not be shown. */
  text: string
  firstLine: number
  lastLine: number
}

/** Someone who acted on a finding's thread. */
export interface Person {
  login: string
  /** A GitHub App or another bot: never a person's word. */
  bot: boolean
  /** Write access to the repository (admin, maintain or write): only such a person can waive a finding. */
  canWrite: boolean
}

export interface ThreadReply {
  author: Person
  /** The reply's markdown, without the action's hidden markers. */
  body: string
  url: string
  createdAt: string
  /** One of this action's own answers in the thread: written as the action, carrying its hidden marker. */
  byAction: boolean
}

/** A finding this action posted on its lines, the thread it opened, and what people did in it. */
export interface ThreadedFinding {
  /** What the finding's marker records. */
  finding: PostedFinding
  /** The finding's comment as posted, without the hidden markers. */
  text: string
  /** The comment that opened the thread (replies go to it), and its address. */
  commentId: number
  url: string
  path: string
  /** The commit it was posted on. */
  commit: string
  /** Where GitHub shows it in the head now, as later pushes moved it; undefined once outdated (its lines changed). */
  current?: { startLine: number; endLine: number }
  /** The thread's GraphQL id: what resolving it takes. */
  threadId: string
  isOutdated: boolean
  isResolved: boolean
  /** Who resolved it; undefined when it is open, or GitHub does not say. */
  resolvedBy?: Person
  /** Whether this token may resolve it: GitHub asks for `contents: write`, whatever `pull-requests` allows. */
  viewerCanResolve: boolean
  /** Who reacted 👎 on the finding's comment. */
  thumbsDown: Person[]
  /** The replies in the thread, in order. */
  replies: ThreadReply[]
  /** The thread holds more replies, or the comment more 👎, than were read. */
  truncated: boolean
}
