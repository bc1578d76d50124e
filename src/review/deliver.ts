import type { FileDiff } from '../diff/parse.js'
import type { DiffSelection } from '../diff/select.js'
import { atLeast, belowConfidence, type Finding, type Severity } from '../domain/finding.js'
import { carriedOver, type EarlierFinding } from '../domain/standing.js'
import { judgeVerdict, type Verdict } from '../domain/verdict.js'
import { redactSecrets } from './redact.js'
import type { PostedEvent, ReviewContent } from '../github/publish.js'
import { formatFooter, renderFindingList, renderVerdict, renderWalkthrough } from '../github/render.js'
import { type PostedFinding, withoutMarkers } from '../domain/markers.js'
import type { Learning } from '../domain/learnings.js'
import type { CombinedReview } from './parts.js'
import { type Triage, triage } from './triage.js'
import type { WalkthroughRow } from '../domain/walkthrough.js'

/** From the model's combined review to what is posted: the verdict, notes, triaged findings, footer. */

export interface DeliveryOptions {
  /** The summary opens with the walkthrough's table. */
  walkthrough: boolean
  minSeverity: Severity
  /** Findings the model is less sure of are not posted, only counted. */
  minConfidence: number
  inlineComments: boolean
  /** How many new findings are posted at most, the most severe. */
  maxFindings: number
  /** What blocks the pull request: a finding at or above it that stands; undefined: nothing does. */
  failOn?: Severity
  /** The review requests changes while the verdict blocks (`review-event: request-changes`). */
  requestChanges: boolean
  /** Every file of the pull request: where comments can sit. */
  pullRequestFiles: readonly FileDiff[]
  posted: readonly PostedFinding[]
  /** The findings earlier runs posted, judged: those that stand count toward the verdict. */
  earlier: readonly EarlierFinding[]
  /** The keys of the findings people with write access waived: found again, they are not posted nor counted. */
  waivedKeys: readonly string[]
  /** The keys of the findings that stood when the last review was posted. */
  lastStanding?: readonly string[]
  /** The repository's learnings: a finding one rejects is not posted again while its code stands. */
  learnings: readonly Learning[]
  /** How many of them the model was given. */
  learningsApplied: number
  /** What was sent to the model. */
  diff: DiffSelection
  since?: string
  /** Why an incremental review became a full one. */
  fullReason?: string
}

export interface Delivery {
  content: ReviewContent
  triage: Triage
  /** What stands on the pull request once this review is posted, and whether it blocks. */
  verdict: Verdict
  /** REQUEST_CHANGES when asked for and the verdict blocks; never APPROVE. */
  event: PostedEvent
  /** The findings the review shows: those found, minus those past `maxFindings`. */
  shown: Finding[]
  /** The review's walkthrough rows, also when the summary does not show them (for the description). */
  walkthrough: WalkthroughRow[]
  /** The whole review as one markdown text (summary and every finding shown), for outputs and terminals. */
  markdown: string
  /** Findings at or above `minSeverity` the model was less sure of than `minConfidence`: not posted, listed in the job summary. */
  unsure: Finding[]
}

/** The review with secrets redacted from all of it, and no marker-shaped comment left in what the model wrote. */
export function redactReview(review: CombinedReview, knownSecrets: readonly string[]): CombinedReview {
  const redact = (text: string) => withoutMarkers(redactSecrets(text, knownSecrets))
  return {
    ...review,
    summary: redact(review.summary) || 'No summary was given.',
    walkthrough: review.walkthrough.map((row) => ({ files: row.files.map(redact), change: redact(row.change) })),
    findings: review.findings.map((finding) => ({
      ...finding,
      title: redact(finding.title),
      body: redact(finding.body),
      ...(finding.suggestion === undefined ? {} : { suggestion: redact(finding.suggestion) }),
      ...(finding.quote === undefined ? {} : { quote: redact(finding.quote) })
    }))
  }
}

export function prepareDelivery(review: CombinedReview, options: DeliveryOptions): Delivery {
  const unsure = review.findings.filter((finding) => belowConfidence(finding, options.minConfidence))
  const sorted = triage(
    review.findings.filter((finding) => !unsure.includes(finding)),
    {
      minSeverity: options.minSeverity,
      inlineComments: options.inlineComments,
      maxFindings: options.maxFindings,
      pullRequestFiles: options.pullRequestFiles,
      posted: options.posted,
      learnings: options.learnings,
      waivedKeys: options.waivedKeys
    }
  )
  const verdict = judgeVerdict(options.earlier, sorted.found, options)
  const carried = carriedOver(options.earlier, [...sorted.inline.map(({ finding }) => finding), ...sorted.listed])
  const event: PostedEvent = options.requestChanges && verdict.state === 'blocking' ? 'REQUEST_CHANGES' : 'COMMENT'
  // Those below `minSeverity` would not have been shown anyway.
  const refuted = atLeast(review.refuted, options.minSeverity).length
  // Likewise for those the model was unsure of: the job summary lists them.
  const unsureListed = atLeast(unsure, options.minSeverity)
  const notes = [
    ...(options.fullReason ? [`_This is a full review: ${options.fullReason}._`] : []),
    ...review.unreviewed.map(
      ({ files, reason }) =>
        `> [!WARNING]\n> ${files.length} file(s) were not reviewed: ${reason}\n> ${files.map((file) => `\`${file}\``).join(', ')}`
    )
  ]
  const table = options.walkthrough ? renderWalkthrough(review.walkthrough) : ''
  const summary = [renderVerdict(verdict), table, ...notes, review.summary].filter(Boolean).join('\n\n')
  const filesReviewed = options.diff.files.length - review.unreviewed.reduce((sum, part) => sum + part.files.length, 0)
  const footer = formatFooter({
    model: review.model,
    filesReviewed,
    filesLeftOut: options.diff.leftOut.length,
    tokens: review.tokens,
    cost: review.cost,
    since: options.since,
    omitted: sorted.omitted.length,
    refuted,
    unsure: unsureListed.length,
    learnings: options.learningsApplied,
    rejected: sorted.rejected.length
  })
  const shown = sorted.found.filter((finding) => !sorted.omitted.includes(finding))
  return {
    content: {
      summary,
      footer,
      inline: sorted.inline,
      listed: sorted.listed,
      carried,
      standing: [...new Set(verdict.standing.map((finding) => finding.key))]
    },
    triage: sorted,
    verdict,
    event,
    shown,
    walkthrough: review.walkthrough,
    markdown: [summary, renderFindingList(shown, 'Findings')].filter(Boolean).join('\n\n'),
    unsure: unsureListed
  }
}
