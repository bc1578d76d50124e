import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import type { Octokit } from './github.js'
import type { CommentTrigger, PullRequestRef } from './pull-request.js'

/** Reviews asked for in a comment: who may ask, and the reactions that say how it went. */

const WRITE_PERMISSIONS = ['admin', 'maintain', 'write']
/** Associations that imply access when the permission API is closed to the token. */
const WRITE_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR']

/**
 * Whether the comment's author may spend the repository's model budget: only
 * people with write access. The permission API decides; `author_association`
 * stands in only when the token may not read it.
 */
export async function canTrigger(octokit: Octokit, repository: PullRequestRef, trigger: CommentTrigger): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repository.owner, repo: repository.repo, username: trigger.author })
    return WRITE_PERMISSIONS.includes(data.role_name) || WRITE_PERMISSIONS.includes(data.permission)
  } catch (error) {
    core.warning(`Could not read ${trigger.author}'s permission (${errorMessage(error)}); deciding from the comment's author association ${trigger.association}.`)
    return WRITE_ASSOCIATIONS.includes(trigger.association)
  }
}

export type Outcome = 'started' | 'succeeded' | 'failed'

const CONTENT = { started: 'eyes', succeeded: 'rocket', failed: 'confused' } as const

/**
 * Reacts on the triggering comment: 👀 while the review runs, then 🚀 or 😕 in
 * its place. Reactions are courtesy: a failure to react is logged, never fatal.
 */
export function reactionsOn(octokit: Octokit, repository: PullRequestRef, trigger: CommentTrigger): (outcome: Outcome) => Promise<void> {
  const repo = { owner: repository.owner, repo: repository.repo, comment_id: trigger.commentId }
  const onReviewComment = trigger.event === 'pull_request_review_comment'
  let eyes: number | undefined
  return async (outcome) => {
    try {
      if (eyes !== undefined) {
        const reaction = { ...repo, reaction_id: eyes }
        await (onReviewComment ? octokit.rest.reactions.deleteForPullRequestComment(reaction) : octokit.rest.reactions.deleteForIssueComment(reaction))
        eyes = undefined
      }
      const reaction = { ...repo, content: CONTENT[outcome] }
      const { data } = await (onReviewComment ? octokit.rest.reactions.createForPullRequestReviewComment(reaction) : octokit.rest.reactions.createForIssueComment(reaction))
      if (outcome === 'started') eyes = data.id
    } catch (error) {
      core.warning(`Could not react on the comment that asked for the review: ${errorMessage(error)}`)
    }
  }
}
