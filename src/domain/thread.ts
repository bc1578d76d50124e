/** The thread of one of the action's findings, which a question in it is about, and the file around it. */

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
