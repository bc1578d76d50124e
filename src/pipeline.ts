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
import type { ReviewHistory } from './github/history.js'
import { type EarlierFindings, NO_EARLIER_FINDINGS, readEarlierFindings } from './github/standing.js'
import { headFilesOnGitHub, type ReadHeadFile, withCodeFingerprints } from './github/head-files.js'
import { judgeVerdict, type Verdict } from './domain/verdict.js'
import { type CombinedReview, reviewDiff } from './review/parts.js'
import { skipReason } from './domain/skip-rules.js'
import { dismissChangeRequests } from './github/change-requests.js'
import {
  askingHooks,
  bootReviewer,
  commitOfCheckout,
  type PipelineHooks,
  pullRequestFiles,
  type ReviewedFiles
} from './reviewer.js'
import type { ReviewSettings } from './settings.js'
import { applicableLearnings, type Learning } from './domain/learnings.js'
import { type LearningsIssue, readLearningsStore } from './github/learnings.js'

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
      /** The repository whose checked-out commit (the action), or the pull request's head (the local command), the reviewer reads out of git. */
      checkout: string
      commit: 'checked-out' | 'pull-request-head'
    }
  | {
      kind: 'local-branch'
      cwd: string
      base: string | undefined
      /** Someone else's branch (a benchmark's pull request): its commit read out of git, as a pull request's. */
      foreign?: boolean
    }

/** The learnings the model was given, and the issue they are kept in. */
export interface AppliedLearnings {
  applied: Learning[]
  issue?: LearningsIssue
}

export type PipelineOutcome =
  /** Nothing (new) to review; for a pull request that was read, the verdict its earlier findings still give. */
  | { kind: 'skipped'; reason: string; judged?: { pullRequest: PullRequest; verdict: Verdict } }
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

interface Subject {
  pullRequest: PullRequest
  reviewed: ReviewedFiles
  /** The changes, when known without GitHub (a local branch). */
  files?: FileDiff[]
}

async function readSubject(source: ReviewSource, log: Logger): Promise<Subject> {
  if (source.kind === 'pull-request') {
    const pullRequest = await fetchPullRequest(source.octokit, source.ref)
    return { pullRequest, reviewed: pullRequestFiles(source.checkout, source.commit, pullRequest) }
  }
  const local = await readLocalBranch(source.cwd, source.base)
  log.info(
    `Reviewing ${local.pullRequest.headRef} against ${local.pullRequest.baseRef} (from ${local.pullRequest.baseSha.slice(0, 7)})`
  )
  return {
    pullRequest: local.pullRequest,
    reviewed: source.foreign ? commitOfCheckout(local.root) : { kind: 'working-tree', dir: local.root },
    files: parseDiff(local.diff)
  }
}

/** The repository at the base commit, where its conventions are read: never the change's own versions. */
function baseFilesOf(source: ReviewSource, pullRequest: PullRequest, log: Logger): BaseFiles {
  return source.kind === 'pull-request'
    ? baseFilesOnGitHub(source.octokit, pullRequest, log)
    : baseFilesInGit(source.cwd, pullRequest.baseSha)
}

/** For a pull request, the findings earlier runs posted, judged again, and how its head is read (where new ones are fingerprinted). */
async function judgeEarlier(
  source: ReviewSource,
  pullRequest: PullRequest,
  history: ReviewHistory | undefined,
  log: Logger
): Promise<{ earlier: EarlierFindings; readHead?: ReadHeadFile }> {
  if (source.kind !== 'pull-request') return { earlier: NO_EARLIER_FINDINGS }
  const readHead = headFilesOnGitHub(source.octokit, pullRequest)
  return { earlier: await readEarlierFindings(source.octokit, pullRequest, history, readHead, log), readHead }
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
    // A pull request's learnings, when learning is on: a local branch has no issue to keep them in.
    const [{ earlier, readHead }, store] = await Promise.all([
      judgeEarlier(source, pullRequest, changes.history, log),
      source.kind === 'pull-request' && settings.learn
        ? readLearningsStore(source.octokit, source.ref, settings.learningsLabel, log)
        : undefined
    ])
    if (store?.issue && store.stored.beyondLimits)
      log.warning(
        `${store.stored.beyondLimits} learning(s) of issue #${store.issue.number} are past its limits and not applied: ${store.issue.url}`
      )
    if ('nothingNew' in changes)
      return { kind: 'nothing', reason: changes.nothingNew, history: changes.history, earlier } as const
    const { files, scope } = changes
    const diff = selectDiff(scope.files, {
      exclude: settings.exclude,
      maxChars: settings.maxTotalChars,
      maxFileChars: settings.maxDiffChars
    })
    await logSelection(diff, scope.files.length, log)
    if (diff.files.length === 0) {
      const what = scope.since ? `the changes since ${scope.since.slice(0, 7)}` : `its ${files.length} changed files`
      const reason = `Nothing to review in ${source.kind === 'pull-request' ? `pull request #${pullRequest.number}` : pullRequest.headRef}: none of ${what} is left after exclusions, binaries and size limits.`
      return { kind: 'nothing', reason, history: changes.history, earlier } as const
    }
    const parts = splitIntoParts(diff, settings.maxDiffChars)
    const changed = diff.files.map((file) => file.path)
    const conventions = await readConventions(baseFilesOf(source, pullRequest, log), changed, settings.conventions, log)
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
    return {
      kind: 'reviewed',
      review,
      files,
      history: changes.history,
      scope,
      diff,
      conventions,
      learnings,
      earlier,
      readHead
    } as const
  })
  try {
    if (reviewed.kind === 'reviewed') {
      // Parts that answered before a cancel are not posted: the run was stopped on purpose.
      if (hooks.cancel.aborted) throw new ActionError('The run was cancelled: nothing was posted.')
      const { review, files, history, scope, diff, conventions, learnings, earlier, readHead } = reviewed
      const applied = { applied: learnings.applied, issue: learnings.issue }
      if (review.dropped) log.warning(`${review.dropped} finding(s) from the model were malformed and dropped.`)
      const delivery = prepareDelivery(redactReview(review, hooks.secrets), {
        walkthrough: settings.walkthrough,
        minSeverity: settings.minSeverity,
        minConfidence: settings.minConfidence,
        inlineComments: settings.inlineComments,
        maxFindings: settings.maxFindings,
        failOn: settings.failOn,
        requestChanges: settings.reviewEvent === 'request-changes',
        pullRequestFiles: files,
        posted: history?.posted ?? [],
        earlier: earlier.findings,
        waivedKeys: earlier.waivedKeys,
        lastStanding: history?.lastStanding,
        learnings: learnings.all,
        learningsApplied: learnings.applied.length,
        diff,
        since: scope.since,
        fullReason: scope.fullReason
      })
      const { repeats, waived } = delivery.triage
      if (repeats.length)
        log.info(
          `${repeats.length} finding(s) were posted on the same lines by an earlier review and are not repeated.`
        )
      if (waived.length)
        log.info(
          `${waived.length} finding(s) were waived on an earlier review's thread and are not posted nor counted.`
        )
      for (const finding of delivery.triage.rejected)
        log.info(
          `Not posted again, a maintainer rejected it on the same code: ${finding.file}:${finding.startLine} ${finding.title}`
        )
      if (source.kind !== 'pull-request' || !readHead || !source.post)
        return { kind: 'reviewed', pullRequest, review, delivery, diff, conventions, learnings: applied }
      const published = await publishReview(
        source.octokit,
        pullRequest,
        await withCodeFingerprints(delivery.content, files, readHead, log),
        settings.commentMode,
        history?.stickyCommentId,
        delivery.event,
        log
      )
      log.info(`Posted the review with ${published.inlineComments} comment(s) on lines: ${published.url}`)
      if (delivery.event === 'COMMENT' && settings.reviewEvent === 'request-changes' && history)
        await dismissChangeRequests(source.octokit, pullRequest, history.changesRequested, delivery.verdict, log)
      if (settings.resolveOutdated) await resolveOutdatedThreads(source.octokit, earlier, delivery.triage.found, log)
      if (settings.describe)
        await describeWalkthrough(
          source.octokit,
          pullRequest,
          delivery.walkthrough,
          { incremental: scope.since !== undefined, pullRequestFiles: files.map((file) => file.path) },
          log
        )
      return { kind: 'reviewed', pullRequest, review, delivery, diff, conventions, learnings: applied, published }
    }
    if (source.kind !== 'pull-request') return { kind: 'skipped', reason: reviewed.reason }
    // Nothing (new) to review: the findings earlier runs posted still judge the pull request.
    const verdict = judgeVerdict(reviewed.earlier.findings, [], {
      failOn: settings.failOn,
      minSeverity: settings.minSeverity,
      lastStanding: reviewed.history?.lastStanding
    })
    if (source.post && verdict.state === 'clear' && settings.reviewEvent === 'request-changes' && reviewed.history)
      await dismissChangeRequests(source.octokit, pullRequest, reviewed.history.changesRequested, verdict, log)
    return { kind: 'skipped', reason: reviewed.reason, judged: { pullRequest, verdict } }
  } finally {
    await stopped
  }
}
