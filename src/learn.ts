import { ActionError, errorMessage } from './errors.js'
import type { Octokit } from './github/client.js'
import { readFindingThreads } from './github/finding-threads.js'
import { readLearningsStore, type Saved, saveLearnings } from './github/learnings.js'
import { learningsFromThreads, sourceOf } from './domain/learnings.js'
import type { CommentTrigger, PullRequestRef } from './domain/pull-request.js'
import { fetchPullRequest } from './github/pull-request.js'
import type { Logger } from './logger.js'

/**
 * The road from what the maintainers say to the learnings issue: harvested from the threads of the
 * action's findings on every run on a pull request, and taught outright with `/review learn <text>`.
 * Only people with write access teach; anyone else's replies and reactions are data.
 */

export interface LearningSettings {
  learningsLabel: string
  /** A reply opening with it asks the reviewer something: it is not a verdict on the finding. */
  triggerPhrase: string
}

/**
 * Learns from the threads of the action's findings on the pull request: a maintainer's reply that rejects a
 * finding, or gives the reason for their 👎 on it. Learning is a side road: whatever fails is a warning.
 */
export async function learnFromThreads(
  octokit: Octokit,
  ref: PullRequestRef,
  settings: LearningSettings,
  log: Logger
): Promise<void> {
  let learnings
  try {
    const threads = await readFindingThreads(octokit, await fetchPullRequest(octokit, ref), log)
    learnings = learningsFromThreads(threads, settings.triggerPhrase)
  } catch (error) {
    log.warning(`Could not read the threads of the findings to learn from them: ${errorMessage(error)}`)
    return
  }
  if (learnings.length === 0) return
  const store = await readLearningsStore(octokit, ref, settings.learningsLabel, log)
  if (store) await saveLearnings(octokit, ref, store, learnings, log)
}

/** What follows `learn` in a `/review learn <text>` comment, or undefined when the comment asks for something else. */
export function learnCommand(instructions: string): string | undefined {
  const match = /^learn(?:\s+([\s\S]*))?$/i.exec(instructions.trim())
  return match ? (match[1] ?? '').trim() : undefined
}

/** `/review learn <text>` from `trigger`'s author (who has write access): the text becomes a learning, or the step fails saying why. */
export async function learnFromComment(
  octokit: Octokit,
  ref: PullRequestRef,
  trigger: CommentTrigger,
  text: string,
  settings: LearningSettings,
  log: Logger
): Promise<Saved> {
  if (text === '')
    throw new ActionError(
      `Nothing to learn: write what the reviewer should know after '${settings.triggerPhrase} learn'.`
    )
  const url = trigger.url ?? `https://github.com/${ref.owner}/${ref.repo}/pull/${ref.number}`
  const store = await readLearningsStore(octokit, ref, settings.learningsLabel, log)
  if (!store) throw new ActionError('Could not read the learnings issue: see the log above.')
  const saved = await saveLearnings(
    octokit,
    ref,
    store,
    [{ author: trigger.author, words: text, url, source: sourceOf(url) }],
    log
  )
  if (saved.added.length === 0) throw new ActionError(`Nothing was learned from ${url}: see the warning above.`)
  return saved
}
