import { readLocalBranch } from './git/local-branch.js'
import { type Delivery, prepareDelivery, redactReview } from './review/deliver.js'
import { type FileDiff, parseDiff } from './diff/parse.js'
import { type DiffSelection, selectDiff } from './diff/select.js'
import { splitIntoParts } from './diff/groups.js'
import { ActionError } from './errors.js'
import type { Octokit } from './github/client.js'
import { type BaseFiles, readConventions } from './conventions/read.js'
import type { Conventions } from './conventions/budget.js'
import { baseFilesInGit } from './git/base-files.js'
import { baseFilesOnGitHub } from './github/base-files.js'
import { withServer } from './opencode/lifecycle.js'
import { resolveOutdatedThreads } from './github/outdated-threads.js'
import { describeWalkthrough } from './github/description.js'
import { type Published, publishReview } from './github/publish.js'
import type { CommentTrigger, PullRequest, PullRequestRef } from './domain/pull-request.js'
import { fetchPullRequest } from './github/pull-request.js'
import { counted, type Logger } from './logger.js'
import { readPullRequestChanges } from './github/changes.js'
import { type CombinedReview, reviewDiff } from './review/parts.js'
import { skipReason } from './domain/skip-rules.js'
import { dismissChangeRequests } from './github/change-requests.js'
import { askingHooks, bootReviewer, type PipelineHooks, type ReviewedFiles, snapshotOfCheckout } from './reviewer.js'
import type { ReviewSettings } from './settings.js'
import { applicableLearnings, type Learning } from './domain/learnings.js'
import { type LearningsIssue, type LearningsStore, readLearningsStore } from './github/learnings.js'

/**
 * The one road from a pull request, or a local branch, to a delivered review:
 * read it, boot OpenCode meanwhile, review, stop the server while the review
 * is posted. The action and the local command both take it.
 */

/** What the review is of. */
export type ReviewSource =
  | {
      kind: 'pull-request'
      octokit: Octokit
      ref: PullRequestRef
      /** The event's action (`synchronize` makes an automatic review incremental). */
      action: string
      /** Set when a comment asked for the review: skip rules do not apply, its instructions do. */
      trigger?: CommentTrigger
      /** Whether skip rules apply: a review nobody asked for by hand. */
      automatic: boolean
      /** False for a dry run. */
      post: boolean
      /** The repository whose checked-out commit (the action), or the pull request's head (the local command), the reviewer reads a snapshot of. */
      checkout: string
      commit: 'checked-out' | 'pull-request-head'
    }
  | {
      kind: 'local-branch'
      cwd: string
      base: string | undefined
      /** Someone else's branch (a benchmark's pull request): read from a snapshot of its commit, as a pull request's. */
      foreign?: boolean
    }

/** The learnings the model was given, and the issue they are kept in. */
export interface AppliedLearnings {
  applied: Learning[]
  issue?: LearningsIssue
}

export type PipelineOutcome =
  | { kind: 'skipped'; reason: string }
  | {
      kind: 'reviewed'
      pullRequest: PullRequest
      review: CombinedReview
      delivery: Delivery
      diff: DiffSelection
      /** The repository's conventions the model was given. */
      conventions: Conventions
      learnings: AppliedLearnings
      published?: Published
    }

/** A pull request's files at the commit `source` names, read from a snapshot. */
export function pullRequestFiles(
  source: Extract<ReviewSource, { kind: 'pull-request' }>,
  pullRequest: PullRequest
): ReviewedFiles {
  const { checkout, commit } = source
  if (commit === 'checked-out') return snapshotOfCheckout(checkout)
  return {
    kind: 'snapshot',
    source: { checkout, revision: pullRequest.headSha, fetch: `refs/pull/${pullRequest.number}/head` }
  }
}

interface Subject {
  pullRequest: PullRequest
  reviewed: ReviewedFiles
  /** The changes, when known without GitHub (a local branch). */
  files?: FileDiff[]
}

async function readSubject(source: ReviewSource, log: Logger): Promise<Subject> {
  if (source.kind === 'pull-request') {
    const pullRequest = await fetchPullRequest(source.octokit, source.ref)
    return { pullRequest, reviewed: pullRequestFiles(source, pullRequest) }
  }
  const local = await readLocalBranch(source.cwd, source.base)
  log.info(
    `Reviewing ${local.pullRequest.headRef} against ${local.pullRequest.baseRef} (from ${local.pullRequest.baseSha.slice(0, 7)})`
  )
  return {
    pullRequest: local.pullRequest,
    reviewed: source.foreign ? snapshotOfCheckout(local.root) : { kind: 'checkout', dir: local.root },
    files: parseDiff(local.diff)
  }
}

/** The repository at the base commit, where its conventions are read: never the change's own versions. */
function baseFilesOf(source: ReviewSource, pullRequest: PullRequest, log: Logger): BaseFiles {
  return source.kind === 'pull-request'
    ? baseFilesOnGitHub(source.octokit, pullRequest, log)
    : baseFilesInGit(source.cwd, pullRequest.baseSha)
}

/** A pull request's learnings, when learning is on: a local branch has no issue to keep them in. */
async function readLearnings(
  source: ReviewSource,
  settings: ReviewSettings,
  log: Logger
): Promise<LearningsStore | undefined> {
  if (source.kind !== 'pull-request' || !settings.learn) return undefined
  const store = await readLearningsStore(source.octokit, source.ref, settings.learningsLabel, log)
  if (store?.issue && store.stored.beyondLimits)
    log.warning(
      `${store.stored.beyondLimits} learning(s) of issue #${store.issue.number} are past its limits and not applied: ${store.issue.url}`
    )
  return store
}

function logSelection(diff: DiffSelection, total: number, log: Logger): Promise<void> {
  const title = `Diff: ${diff.files.length} of ${counted(total, 'file')}, ${counted(diff.text.length, 'character')}`
  return log.group(title, async () => {
    for (const file of diff.leftOut) log.info(`left out: ${file.path} (${file.reason})`)
  })
}

export async function runReviewPipeline(
  source: ReviewSource,
  settings: ReviewSettings,
  hooks: PipelineHooks
): Promise<PipelineOutcome> {
  const { log } = hooks
  const subject = await readSubject(source, log)
  const { pullRequest, reviewed: reviewedFiles } = subject
  const skip = source.kind === 'pull-request' && source.automatic ? skipReason(pullRequest, settings) : undefined
  if (skip) return { kind: 'skipped', reason: skip }
  const { booting, opencode } = await bootReviewer(
    source.kind === 'pull-request' ? source.octokit : undefined,
    pullRequest,
    reviewedFiles,
    settings,
    hooks
  )

  const { result: reviewed, stopped } = await withServer(booting, async (server) => {
    const changes =
      source.kind === 'pull-request'
        ? await readPullRequestChanges(
            source.octokit,
            pullRequest,
            {
              commentMode: settings.commentMode,
              incremental:
                settings.reviewScope === 'incremental' ||
                (settings.reviewScope === undefined && source.action === 'synchronize')
            },
            log
          )
        : { files: subject.files ?? [], scope: { files: subject.files ?? [] } }
    if (typeof changes === 'string') return changes
    const { files, scope } = changes
    const diff = selectDiff(scope.files, {
      exclude: settings.exclude,
      maxChars: settings.maxTotalChars,
      maxFileChars: settings.maxDiffChars
    })
    await logSelection(diff, scope.files.length, log)
    if (diff.files.length === 0) {
      const what = scope.since ? `the changes since ${scope.since.slice(0, 7)}` : `its ${files.length} changed files`
      return `Nothing to review in ${source.kind === 'pull-request' ? `pull request #${pullRequest.number}` : pullRequest.headRef}: none of ${what} is left after exclusions, binaries and size limits.`
    }
    const parts = splitIntoParts(diff, settings.maxDiffChars)
    const changed = diff.files.map((file) => file.path)
    const [conventions, store] = await Promise.all([
      readConventions(baseFilesOf(source, pullRequest, log), changed, settings.conventions, log),
      readLearnings(source, settings, log)
    ])
    const learnings = {
      all: store?.stored.learnings ?? [],
      applied: applicableLearnings(store?.stored.learnings ?? [], changed),
      issue: store?.issue
    }
    const running = await server()
    hooks.secrets.push(running.password)
    const trigger = source.kind === 'pull-request' ? source.trigger : undefined
    const context = {
      pullRequest,
      extraInstructions: settings.prompt,
      language: settings.language,
      // The description's walkthrough comes from the same answer.
      walkthrough: settings.walkthrough || settings.describe,
      conventions: conventions.used,
      learnings: learnings.applied,
      ...(trigger ? { requester: { login: trigger.author, instructions: trigger.instructions } } : {}),
      ...(scope.since ? { increment: { since: scope.since, pullRequestFiles: files.map((file) => file.path) } } : {})
    }
    log.info(
      `Reviewing ${counted(diff.files.length, 'file')} with ${opencode.model ?? 'the model the OpenCode configuration names'} (agent '${opencode.agent}')`
    )
    const review = await log.group('Review progress', () =>
      reviewDiff(
        running,
        context,
        diff,
        parts,
        {
          model: settings.model,
          fallbackModel: settings.fallbackModel,
          synthesisModel: settings.synthesisModel,
          agent: opencode.agent,
          variant: settings.variant,
          timeoutMs: settings.reviewTimeoutMs,
          maxDiffChars: settings.maxDiffChars,
          maxSessions: settings.maxSessions,
          verify: settings.verify
        },
        askingHooks(hooks)
      )
    )
    return { review, files, history: changes.history, scope, diff, conventions, learnings }
  })
  try {
    if (typeof reviewed === 'string') return { kind: 'skipped', reason: reviewed }
    // Parts that answered before a cancel are not posted: the run was stopped on purpose.
    if (hooks.cancel.aborted) throw new ActionError('The run was cancelled: nothing was posted.')
    const { review, files, history, scope, diff, conventions, learnings } = reviewed
    const applied = { applied: learnings.applied, issue: learnings.issue }
    if (review.dropped) log.warning(`${review.dropped} finding(s) from the model were malformed and dropped.`)
    const requestChangesAt = settings.reviewEvent === 'request-changes' ? settings.failOn : undefined
    const delivery = prepareDelivery(redactReview(review, hooks.secrets), {
      walkthrough: settings.walkthrough,
      minSeverity: settings.minSeverity,
      minConfidence: settings.minConfidence,
      inlineComments: settings.inlineComments,
      maxFindings: settings.maxFindings,
      requestChangesAt,
      pullRequestFiles: files,
      posted: history?.posted ?? [],
      learnings: learnings.all,
      learningsApplied: learnings.applied.length,
      diff,
      since: scope.since,
      fullReason: scope.fullReason
    })
    const { repeats } = delivery.triage
    if (repeats.length)
      log.info(`${repeats.length} finding(s) were posted on the same lines by an earlier review and are not repeated.`)
    for (const finding of delivery.triage.rejected)
      log.info(
        `Not posted again, a maintainer rejected it on the same code: ${finding.file}:${finding.startLine} ${finding.title}`
      )
    if (source.kind !== 'pull-request' || !source.post)
      return { kind: 'reviewed', pullRequest, review, delivery, diff, conventions, learnings: applied }
    const published = await publishReview(
      source.octokit,
      pullRequest,
      delivery.content,
      settings.commentMode,
      history?.stickyCommentId,
      delivery.event,
      log
    )
    log.info(`Posted the review with ${published.inlineComments} comment(s) on lines: ${published.url}`)
    if (delivery.event === 'COMMENT' && requestChangesAt && history)
      await dismissChangeRequests(source.octokit, pullRequest, history.changesRequested, requestChangesAt, log)
    // Threads exist only where an earlier run posted findings.
    if (settings.resolveOutdated && history?.posted.length)
      await resolveOutdatedThreads(source.octokit, pullRequest, delivery.triage.found, log)
    if (settings.describe)
      await describeWalkthrough(
        source.octokit,
        pullRequest,
        delivery.walkthrough,
        { incremental: scope.since !== undefined, pullRequestFiles: files.map((file) => file.path) },
        log
      )
    return { kind: 'reviewed', pullRequest, review, delivery, diff, conventions, learnings: applied, published }
  } finally {
    await stopped
  }
}
