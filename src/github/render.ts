import { countBySeverity, lineSpan, SEVERITIES } from '../domain/finding.js'
import { type Conventions, describeConventions } from '../conventions/budget.js'
import { LEFT_OUT_REASONS, type LeftOutFile } from '../diff/select.js'
import type { Finding } from '../domain/finding.js'
import type { WalkthroughRow } from '../domain/walkthrough.js'
import type { Learning } from '../domain/learnings.js'
import type { StandingFinding, Verdict } from '../domain/verdict.js'
import { findingMarker, headMarker, MARKER, standingMarker } from '../domain/markers.js'

/** The markdown the action posts: review bodies, inline comments, the footer. */

/** GitHub rejects a comment or review body longer than this. */
export const MAX_BODY_CHARS = 65_536

export interface FooterFacts {
  model: string
  filesReviewed: number
  filesLeftOut: number
  tokens?: { input: number; output: number }
  cost?: number
  /** Set for an incremental review: the commit reviewed last time. */
  since?: string
  /** New findings past `max-findings`, not posted. */
  omitted?: number
  /** Findings the model's own verification did not stand by. */
  refuted?: number
  /** Findings below `min-confidence`. */
  unsure?: number
  /** Learnings the model was given. */
  learnings?: number
  /** Findings a learning rejected: not posted again. */
  rejected?: number
}

export function formatFooter(facts: FooterFacts): string {
  const parts = [
    `Reviewed by OpenCode with \`${facts.model}\``,
    `${facts.filesReviewed.toLocaleString('en-US')} file${facts.filesReviewed === 1 ? '' : 's'} reviewed`
  ]
  if (facts.since) parts.push(`changes since ${facts.since.slice(0, 7)}`)
  if (facts.filesLeftOut > 0) parts.push(`${facts.filesLeftOut.toLocaleString('en-US')} left out`)
  if (facts.omitted) parts.push(`${facts.omitted} more finding${facts.omitted === 1 ? '' : 's'} past \`max-findings\``)
  if (facts.refuted) parts.push(`${facts.refuted} dropped by verification`)
  if (facts.unsure) parts.push(`${facts.unsure} below \`min-confidence\``)
  if (facts.learnings) parts.push(`${facts.learnings} learning${facts.learnings === 1 ? '' : 's'} applied`)
  if (facts.rejected) parts.push(`${facts.rejected} rejected by a maintainer before, not repeated`)
  parts.push(...spent(facts))
  return `<sub>${parts.join(' · ')}</sub>`
}

/** What the model's work cost, as the footers show it. */
function spent({ tokens, cost }: Pick<FooterFacts, 'tokens' | 'cost'>): string[] {
  return [
    ...(tokens && tokens.input + tokens.output > 0
      ? [`${tokens.input.toLocaleString('en-US')} in / ${tokens.output.toLocaleString('en-US')} out tokens`]
      : []),
    ...(cost ? [`$${cost.toFixed(4)}`] : [])
  ]
}

/** The footer of an answer in a finding's thread. */
export function formatAnswerFooter(facts: Pick<FooterFacts, 'model' | 'tokens' | 'cost'>): string {
  return `<sub>${[`Answered by OpenCode with \`${facts.model}\``, ...spent(facts)].join(' · ')}</sub>`
}

/** A fence longer than any backtick run in `code`, so the code cannot close it. */
function fenceFor(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`{3,}/g)].map((match) => match[0].length))
  return '`'.repeat(Math.max(3, longest + 1))
}

function lines(finding: Pick<Finding, 'startLine' | 'endLine'>): string {
  const span = lineSpan(finding.startLine, finding.endLine, '–')
  return finding.startLine === finding.endLine ? `line ${span}` : `lines ${span}`
}

/** A review comment on the finding's lines; a suggestion becomes a block GitHub can apply in one click. */
export function renderInlineComment(finding: Finding): string {
  const parts = [`**${finding.severity}** · ${finding.title}`]
  if (finding.body) parts.push(finding.body)
  if (finding.suggestion !== undefined) {
    const fence = fenceFor(finding.suggestion)
    parts.push(`${fence}suggestion\n${finding.suggestion}\n${fence}`)
  }
  return `${parts.join('\n\n')}\n\n${findingMarker(finding)}`
}

/** Paths shown at most in a cell of the walkthrough; the others are counted. */
const MAX_PATHS_PER_CELL = 5

/** A path as a code span inside a table cell: a fence longer than its backtick runs, its pipes escaped for the table. */
function pathSpan(path: string): string {
  const longest = Math.max(0, ...[...path.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(longest + 1)
  // A span that starts or ends with a backtick needs a space between it and the fence.
  const padded = /^`|`$/.test(path) ? ` ${path} ` : path
  return `${fence}${padded}${fence}`.replace(/\|/g, '\\|')
}

/** The walkthrough as a markdown table; pipes cannot end a cell early, nor an HTML comment hide the rest. */
export function renderWalkthrough(rows: readonly WalkthroughRow[]): string {
  if (rows.length === 0) return ''
  const lines = rows.map(({ files, change }) => {
    const shown = files.slice(0, MAX_PATHS_PER_CELL).map(pathSpan)
    const more = files.length - shown.length
    const paths = more ? `${shown.join(', ')} and ${more} more` : shown.join(', ')
    return `| ${paths} | ${change.replace(/\|/g, '\\|').replace(/<!--/g, '&lt;!--')} |`
  })
  return ['| Files | What changed |', '| --- | --- |', ...lines].join('\n')
}

const indent = (text: string) => text.replace(/^(?=.)/gm, '  ')

/** Findings listed in the body, for those that cannot (or may not) sit on a line of the diff. */
export function renderFindingList(findings: readonly Finding[], heading: string): string {
  if (findings.length === 0) return ''
  const items = findings.map((finding) => {
    const parts = [`- **${finding.severity}** · \`${finding.file}\` ${lines(finding)}: ${finding.title}`]
    if (finding.body) parts.push(indent(finding.body))
    if (finding.suggestion !== undefined) {
      const fence = fenceFor(finding.suggestion)
      parts.push(indent(`Suggested replacement:\n${fence}\n${finding.suggestion}\n${fence}`))
    }
    return `${parts.join('\n\n')}\n${findingMarker(finding)}`
  })
  return `### ${heading}\n\n${items.join('\n\n')}`
}

/** Standing findings named at most in the verdict's line; the others are counted. */
const NAMED_IN_VERDICT = 5

/** A standing finding as the verdict names it: its title (a link to where it was posted), file and line. */
function nameOf(finding: StandingFinding): string {
  const title = finding.title.replace(/[[\]]/g, '\\$&')
  return `${finding.url ? `[${title}](${finding.url})` : title} (\`${finding.file}\`:${finding.startLine})`
}

/** Findings named by severity, most severe first: `high: A, B; medium: C`. */
function namesBySeverity(findings: readonly StandingFinding[]): string {
  const named = findings.slice(0, NAMED_IN_VERDICT)
  const groups = SEVERITIES.flatMap((severity) => {
    const names = named.filter((finding) => finding.severity === severity).map(nameOf)
    return names.length ? [`${severity}: ${names.join(', ')}`] : []
  })
  const more = findings.length - named.length
  return `${groups.join('; ')}${more ? `; and ${more} more` : ''}`
}

const countOf = (count: number) => `${count} finding${count === 1 ? '' : 's'}`
const stand = (count: number) => (count === 1 ? 'stands' : 'stand')

/** `1 high, 2 low`. */
function countsBySeverity(findings: readonly StandingFinding[]): string {
  const counts = countBySeverity(findings)
  return SEVERITIES.flatMap((severity) => (counts[severity] ? [`${counts[severity]} ${severity}`] : [])).join(', ')
}

/** The verdict's sentence: plain (a check run's title), or markdown with what blocks named (a review's first line). */
function verdictSentence(verdict: Verdict, markdown: boolean): string {
  const { blocking, standing, failOn, resolved } = verdict
  const below = standing.length - blocking.length
  const level = markdown ? `\`${failOn}\`` : failOn
  const named = (findings: readonly StandingFinding[]) => (markdown ? ` (${namesBySeverity(findings)})` : '')
  const parts = blocking.length
    ? [
        `${markdown ? '**Blocking:**' : 'Blocking:'} ${countOf(blocking.length)} at or above ${level} ${stand(blocking.length)}${named(blocking)}.`
      ]
    : failOn
      ? [`Nothing at or above ${level} stands${below ? `; ${countOf(below)} below it ${stand(below)}` : ''}.`]
      : // Without a gate, a review's own findings say it all: its line is for those of earlier reviews.
        standing.length && (!markdown || standing.some((finding) => finding.url))
        ? [`${countOf(standing.length)} ${stand(standing.length)} (${countsBySeverity(standing)}).`]
        : []
  if (resolved) parts.push(`Resolved since the last review: ${resolved}.`)
  return parts.join(' ')
}

/** The verdict in plain words, as a check run's title; empty when there is nothing to say. */
export function verdictHeadline(verdict: Verdict): string {
  return verdictSentence(verdict, false)
}

/**
 * The verdict on the pull request, the line a review opens with: what blocks it (each finding named, a link
 * to where it was posted), or that nothing at or above `fail-on` stands (without `fail-on`, how many findings
 * stand when earlier reviews' do), and how many were resolved since the last review. Empty when there is nothing to say.
 */
export function renderVerdict(verdict: Verdict): string {
  return verdictSentence(verdict, true)
}

/** Every standing finding with where it was posted, for the job summary and the check run. */
export function renderStandingList(verdict: Verdict, postedAt?: string): string {
  if (verdict.standing.length === 0) return ''
  const blocking = new Set(verdict.blocking)
  const items = verdict.standing.map((finding) => {
    const where = finding.url ?? postedAt
    const mark = blocking.has(finding) ? ' · blocking' : ''
    const title = finding.title.replace(/[[\]]/g, '\\$&')
    return `- **${finding.severity}**${mark} · \`${finding.file}\` ${lines(finding)}: ${where ? `[${title}](${where})` : title}`
  })
  return `### Standing findings\n\n${items.join('\n')}`
}

/** Every file left out of the review and why, folded: the job summary has room for the list the prompt only counts. */
export function renderLeftOutFiles(leftOut: readonly LeftOutFile[]): string {
  const heading = `${leftOut.length.toLocaleString('en-US')} file${leftOut.length === 1 ? '' : 's'} left out of the review`
  return foldedList(
    heading,
    leftOut.map((file) => `${file.path} (${LEFT_OUT_REASONS[file.reason]})`)
  )
}

/** The findings dropped below `min-confidence`, folded, for the job summary: dropped, never hidden. */
export function renderUnsureFindings(unsure: readonly Finding[]): string {
  const heading = `${unsure.length} finding${unsure.length === 1 ? '' : 's'} below min-confidence, not posted`
  return foldedList(
    heading,
    unsure.map(
      (finding) =>
        `${finding.file}:${lineSpan(finding.startLine, finding.endLine)} (${finding.severity}, confidence ${finding.confidence}): ${finding.title}`
    )
  )
}

/** The learnings the model was given, folded, for the job summary, with the issue that keeps them. */
export function renderLearnings(applied: readonly Learning[], issue: { number: number } | undefined): string {
  const where = issue ? `, from issue #${issue.number}` : ''
  const heading = `${applied.length} learning${applied.length === 1 ? '' : 's'} applied${where}`
  return foldedList(
    heading,
    applied.map((learning) => learning.text.replace(/\n/g, ' '))
  )
}

/** The repository's convention files the model was given, folded, for the job summary. */
export function renderConventions(conventions: Conventions): string {
  const { length } = conventions.used
  const heading = `${length} repository convention file${length === 1 ? '' : 's'} used, read from the base commit`
  return foldedList(heading, describeConventions(conventions))
}

/** `lines` in a code block folded under `heading`; nothing when there are none. */
function foldedList(heading: string, lines: readonly string[]): string {
  if (lines.length === 0) return ''
  const list = lines.join('\n')
  const fence = fenceFor(list)
  return `<details><summary>${heading}</summary>\n\n${fence}\n${list}\n${fence}\n\n</details>`
}

/** Cuts at a character boundary and closes a code fence the cut left open. */
function cutMarkdown(markdown: string, length: number): string {
  let cut = markdown.slice(0, length)
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  const fences = cut.match(/^\s*(```|~~~)/gm)?.length ?? 0
  return fences % 2 === 1 ? `${cut}\n\`\`\`` : cut
}

/**
 * The posted body: the review, a footer and the markers (the head it reviewed, and for a review the keys of
 * the findings that stand once it is posted), within GitHub's size limit.
 */
export function composeBody(
  markdown: string,
  footer: string,
  headSha: string,
  standing?: readonly string[],
  limit = MAX_BODY_CHARS
): string {
  const tail = `\n\n---\n${footer}\n${MARKER}\n${headMarker(headSha)}${standing ? `\n${standingMarker(standing)}` : ''}`
  if (markdown.length + tail.length <= limit) return markdown + tail
  const note = `\n\n> [!NOTE]\n> The review was cut here: it had ${markdown.length.toLocaleString('en-US')} characters, more than a GitHub comment holds. The whole review is in the workflow run's summary.`
  // Room for the note, the tail and the fence that cutting may have to close.
  return cutMarkdown(markdown, limit - note.length - tail.length - 4) + note + tail
}
