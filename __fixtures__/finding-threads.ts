import type { FakeGitHub, FakeReviewComment } from './fake-github.js'
import type { Finding } from '../src/domain/finding.js'
import { postedOf } from '../src/domain/markers.js'
import type { ThreadedFinding } from '../src/domain/thread.js'
import { renderInlineComment } from '../src/github/render.js'

/** The threads of the action's findings, as the fake GitHub holds them and as the reader gives them back. */

/** The comment the action posts on `finding`'s lines, opening its thread; `user` (and `association`) for another author. */
export function postFinding(
  github: FakeGitHub,
  finding: Finding,
  user?: string,
  association?: string
): FakeReviewComment {
  return github.addReviewComment({
    path: finding.file,
    line: finding.endLine,
    ...(finding.startLine === finding.endLine ? {} : { startLine: finding.startLine }),
    body: renderInlineComment(finding),
    user,
    association
  })
}

/** `finding`'s thread as read back: open, not outdated, nobody acted in it, unless `state` says otherwise. */
export function threadOf(finding: Finding, state: Partial<ThreadedFinding> = {}): ThreadedFinding {
  return {
    finding: postedOf(finding),
    text: finding.title,
    commentId: 1,
    url: `https://github.com/octo-org/octo-repo/pull/7#discussion_r${finding.title.length}`,
    path: finding.file,
    commit: 'b'.repeat(40),
    threadId: `PRRT_${finding.title}`,
    isOutdated: false,
    isResolved: false,
    viewerCanResolve: true,
    thumbsDown: [],
    replies: [],
    truncated: false,
    ...state
  }
}
