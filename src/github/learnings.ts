import { errorMessage } from '../errors.js'
import {
  learningLine,
  type NewLearning,
  newStoreBody,
  overLimits,
  readLearnings,
  type StoredLearnings,
  withLearnings
} from '../domain/learnings.js'
import type { Logger } from '../logger.js'
import type { PullRequestRef } from '../domain/pull-request.js'
import type { Octokit } from './client.js'
import { hasWriteAccess } from './permissions.js'

/**
 * The issue that holds the learnings, like Renovate's dependency dashboard: found by its label, trusted
 * only as far as GitHub's rules allow. GitHub lets an issue's body be edited by its author and by people
 * with write access ("Edit and delete anyone's comments on commits, pull requests, and issues" is a
 * write, maintain and admin permission), so the body of an issue opened by a bot (an app the repository
 * installed: the action's own token) or by someone with write access says only what such people wrote.
 * Labels take triage access to set, but an outsider's issue a triager labelled is not read. Comments on
 * the issue are never read. Creating and editing it takes `issues: write`.
 */

export const LEARNINGS_TITLE = 'OpenCode review learnings'

export interface LearningsIssue {
  number: number
  url: string
  body: string
}

export interface LearningsStore {
  /** The label that finds the issue. */
  label: string
  /** Undefined until the first learning opens it. */
  issue?: LearningsIssue
  stored: StoredLearnings
}

type Repository = Pick<PullRequestRef, 'owner' | 'repo'>

const EMPTY: StoredLearnings = { learnings: [], beyondLimits: 0, harvested: [] }

const ISSUES_HINT =
  'give the job `issues: write` in its `permissions:` (the learnings live in an issue), or set `learn: false`'

type ListedIssue = Awaited<ReturnType<Octokit['rest']['issues']['listForRepo']>>['data'][number]

/** Whether only people with write access (and the action) can have written the issue's body. */
async function writtenByTrusted(
  octokit: Octokit,
  repository: Repository,
  issue: ListedIssue,
  log: Logger
): Promise<boolean> {
  if (!issue.user) return false
  if (issue.user.type === 'Bot') return true
  return hasWriteAccess(octokit, repository, issue.user.login, issue.author_association, log)
}

/**
 * The store: the oldest open issue carrying `label` whose body only trusted people can have written, or
 * an empty store when there is none yet. Undefined, with one line in the log, when GitHub refuses to list
 * the issues: the review goes on without learnings.
 */
export async function readLearningsStore(
  octokit: Octokit,
  repository: Repository,
  label: string,
  log: Logger
): Promise<LearningsStore | undefined> {
  let issues: ListedIssue[]
  try {
    issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: repository.owner,
      repo: repository.repo,
      labels: label,
      state: 'open',
      sort: 'created',
      direction: 'asc',
      per_page: 100
    })
  } catch (error) {
    log.info(
      `No learnings applied: GitHub refused to list the issues labelled '${label}' (${errorMessage(error)}); ${ISSUES_HINT}.`
    )
    return undefined
  }
  for (const issue of issues) {
    // The issues API lists pull requests too.
    if (issue.pull_request) continue
    if (!(await writtenByTrusted(octokit, repository, issue, log))) {
      log.warning(
        `Issue #${issue.number} is labelled '${label}' but was opened by ${issue.user?.login ?? 'a deleted account'}, who has no write access: its learnings are not read.`
      )
      continue
    }
    const body = issue.body ?? ''
    return { label, issue: { number: issue.number, url: issue.html_url, body }, stored: readLearnings(body) }
  }
  return { label, stored: EMPTY }
}

/** What saving learnings did. */
export interface Saved {
  /** The lines added to the store. */
  added: string[]
  /** The store after saving; as it was when nothing was added. */
  store: LearningsStore
}

/**
 * Adds `learnings` to the store, each once (a source already learned from is not learned again, even when
 * a maintainer deleted what it taught), within LEARNING_LIMITS; opens the issue on the first. The issue is
 * read again just before it is written, so an edit made meanwhile is kept. A refusal is one warning: the
 * review goes on.
 */
export async function saveLearnings(
  octokit: Octokit,
  repository: Repository,
  store: LearningsStore,
  learnings: readonly NewLearning[],
  log: Logger
): Promise<Saved> {
  const fresh = learnings.filter((learning) => !store.stored.harvested.includes(learning.source))
  if (fresh.length === 0) return { added: [], store }
  const repo = { owner: repository.owner, repo: repository.repo }
  try {
    const current = store.issue
      ? ((await octokit.rest.issues.get({ ...repo, issue_number: store.issue.number })).data.body ?? '')
      : newStoreBody()
    let stored = readLearnings(current)
    const added: string[] = []
    const sources: string[] = []
    for (const learning of fresh) {
      if (stored.harvested.includes(learning.source)) continue
      const line = learningLine(learning)
      const full = overLimits(stored, line)
      if (full) {
        log.warning(
          `Not learned from ${learning.url}: the learnings issue${store.issue ? ` #${store.issue.number}` : ''} is full (${full}); delete learnings there to make room.`
        )
        continue
      }
      added.push(line)
      sources.push(learning.source)
      stored = readLearnings(withLearnings(current, added, sources))
    }
    if (added.length === 0) return { added, store }
    const body = withLearnings(current, added, sources)
    const { data } = store.issue
      ? await octokit.rest.issues.update({ ...repo, issue_number: store.issue.number, body })
      : await octokit.rest.issues.create({ ...repo, title: LEARNINGS_TITLE, labels: [store.label], body })
    const issue = { number: data.number, url: data.html_url, body: data.body ?? body }
    log.info(`Learned ${added.length} thing(s) from the maintainers, kept in issue #${issue.number}: ${issue.url}`)
    return { added, store: { ...store, issue, stored: readLearnings(issue.body) } }
  } catch (error) {
    log.warning(
      `Could not save ${fresh.length} learning(s) in the learnings issue (${errorMessage(error)}): ${ISSUES_HINT}.`
    )
    return { added: [], store }
  }
}
