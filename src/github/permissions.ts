import { errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import type { PullRequestRef } from '../domain/pull-request.js'
import { isRequestError, type Octokit } from './client.js'

/**
 * Who has write access to the repository: whoever may ask for a review, and whose word waives a
 * finding. GitHub's permission API decides; it needs only `metadata: read`, which every token has.
 */

const WRITE_PERMISSIONS = ['admin', 'maintain', 'write']
/** A comment's author associations that imply access: trusted where the permission API cannot be asked. */
export const ACCESS_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR']

type Repository = Pick<PullRequestRef, 'owner' | 'repo'>

/** A run has one client: its answers are kept with it, one lookup per person. */
const answersOf = new WeakMap<Octokit, Map<string, Promise<boolean | undefined>>>()

/** Whether `login` may write, or undefined when GitHub would not say (logged once). */
function permissionOf(octokit: Octokit, repository: Repository, login: string, log: Logger) {
  let answers = answersOf.get(octokit)
  if (!answers) answersOf.set(octokit, (answers = new Map()))
  const id = `${repository.owner}/${repository.repo}:${login.toLowerCase()}`
  let answer = answers.get(id)
  if (!answer) {
    answer = octokit.rest.repos
      .getCollaboratorPermissionLevel({ owner: repository.owner, repo: repository.repo, username: login })
      .then(
        ({ data }) => WRITE_PERMISSIONS.includes(data.role_name) || WRITE_PERMISSIONS.includes(data.permission),
        (error: unknown) => {
          // No such user (a deleted account): no access.
          if (isRequestError(error) && error.status === 404) return false
          log.warning(
            `Could not read ${login}'s permission on ${repository.owner}/${repository.repo} (${errorMessage(error)}): deciding from the author association of what they wrote.`
          )
          return undefined
        }
      )
    answers.set(id, answer)
  }
  return answer
}

/**
 * Whether `login` has write access (admin, maintain or write). When GitHub would not say,
 * `association` (the author_association of something they wrote) stands in; without one, no.
 */
export async function hasWriteAccess(
  octokit: Octokit,
  repository: Repository,
  login: string,
  association: string | undefined,
  log: Logger
): Promise<boolean> {
  const answer = await permissionOf(octokit, repository, login, log)
  return answer ?? ACCESS_ASSOCIATIONS.includes(association ?? '')
}
