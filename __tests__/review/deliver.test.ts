import { describe, expect, it } from '@jest/globals'
import type { DiffSelection } from '../../src/diff/select.js'
import type { Finding, Severity } from '../../src/domain/finding.js'
import { type DeliveryOptions, prepareDelivery, redactReview } from '../../src/review/deliver.js'
import type { CombinedReview } from '../../src/review/parts.js'
import { REDACTED } from '../../src/review/redact.js'
import { findingKey, fingerprintCode } from '../../src/domain/markers.js'
import type { EarlierFinding } from '../../src/domain/standing.js'

const rows = [{ files: ['src/a.ts'], change: 'Adds a.' }]
const review: CombinedReview = {
  summary: 'The summary.',
  walkthrough: rows,
  findings: [],
  dropped: 0,
  model: 'fake/model',
  tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
  cost: 0,
  sessions: 2,
  unreviewed: [{ files: ['src/b.ts'], reason: 'The provider failed' }],
  refuted: []
}
const diff: DiffSelection = {
  files: [
    { path: 'src/a.ts', status: 'added', binary: false, text: 'diff --git a/src/a.ts b/src/a.ts\n+x' },
    { path: 'src/b.ts', status: 'added', binary: false, text: 'diff --git a/src/b.ts b/src/b.ts\n+y' }
  ],
  leftOut: [],
  text: ''
}
/** A low finding an earlier review listed on src/c.ts, its code now on line 5. */
const standing: EarlierFinding = {
  posted: {
    key: findingKey({ file: 'src/c.ts', title: 'Old bug' }),
    startLine: 4,
    endLine: 4,
    severity: 'low',
    file: 'src/c.ts',
    title: 'Old bug',
    codeFingerprint: 'gone'
  },
  url: 'https://x/review',
  sticky: false,
  state: 'stands',
  place: { startLine: 5, endLine: 5 }
}
const options: DeliveryOptions = {
  walkthrough: true,
  minSeverity: 'low',
  minConfidence: 0,
  inlineComments: true,
  maxFindings: 10,
  requestChanges: false,
  pullRequestFiles: diff.files,
  posted: [],
  earlier: [],
  waivedKeys: [],
  learnings: [],
  learningsApplied: 0,
  diff
}

describe('prepareDelivery', () => {
  it('opens the summary with the walkthrough, before the notes and the model summary', () => {
    const { content, markdown, walkthrough } = prepareDelivery(review, options)
    expect(content.summary).toMatch(
      /^\| Files \| What changed \|\n\| --- \| --- \|\n\| `src\/a\.ts` \| Adds a\. \|\n\n> \[!WARNING\]\n> 1 file\(s\) were not reviewed[^]*\n\nThe summary\.$/
    )
    expect(markdown.startsWith(content.summary)).toBe(true)
    expect(walkthrough).toEqual(rows)
  })

  it('leaves the table out with walkthrough: false, and still hands the rows on for the description', () => {
    const delivery = prepareDelivery(review, { ...options, walkthrough: false })
    expect(delivery.content.summary).not.toContain('| Files |')
    expect(delivery.content.summary.startsWith('> [!WARNING]')).toBe(true)
    expect(delivery.walkthrough).toEqual(rows)
  })

  it('requests changes only when asked for and what stands reaches fail-on: a finding found, or one an earlier run posted', () => {
    const bug: Finding = { file: 'src/a.ts', startLine: 1, endLine: 1, severity: 'medium', title: 'Bug', body: '' }
    const eventAt = (failOn: Severity | undefined, findings: Finding[], requestChanges = true) =>
      prepareDelivery({ ...review, findings }, { ...options, failOn, requestChanges, earlier: [standing] }).event
    expect(eventAt('medium', [bug], false)).toBe('COMMENT')
    expect(eventAt('medium', [bug])).toBe('REQUEST_CHANGES')
    expect(eventAt('high', [bug])).toBe('COMMENT')
    expect(eventAt('low', [])).toBe('REQUEST_CHANGES')
  })

  it('opens with the verdict on the pull request, records what stands, and in sticky mode lists again what the rewritten comment held', () => {
    const delivery = prepareDelivery(review, {
      ...options,
      failOn: 'low',
      earlier: [standing],
      lastStanding: [standing.posted.key, 'f'.repeat(16)]
    })
    expect(delivery.verdict.state).toBe('blocking')
    expect(delivery.content.summary).toMatch(
      /^\*\*Blocking:\*\* 1 finding at or above `low` stands \(low: \[Old bug\]\(https:\/\/x\/review\) \(`src\/c\.ts`:5\)\)\. Resolved since the last review: 1\.\n\n\| Files/
    )
    expect(delivery.content.standing).toEqual([standing.posted.key])
    expect(delivery.content.carried).toEqual([])
    const sticky = prepareDelivery(review, { ...options, earlier: [{ ...standing, sticky: true }] })
    expect(sticky.content.carried).toEqual([
      {
        file: 'src/c.ts',
        title: 'Old bug',
        severity: 'low',
        body: '',
        startLine: 5,
        endLine: 5,
        codeFingerprint: 'gone'
      }
    ])
  })

  it('drops the findings the model is less sure of than min-confidence: counted in the footer, kept for the job summary, never judged', () => {
    const at = (title: string, confidence: number | undefined, severity: Severity = 'high'): Finding => ({
      file: 'src/a.ts',
      startLine: 1,
      endLine: 1,
      severity,
      title,
      body: '',
      ...(confidence === undefined ? {} : { confidence })
    })
    const sure = at('Sure', 0.9)
    const unsure = at('Unsure', 0.4)
    const unsaid = at('No confidence given', undefined)
    const unsureNit = at('Unsure nit', 0.1, 'nit')
    const findings = [sure, unsure, unsaid, unsureNit]

    const delivery = prepareDelivery(
      { ...review, findings },
      { ...options, minConfidence: 0.6, failOn: 'high', requestChanges: true }
    )

    expect(delivery.shown).toEqual([sure, unsaid])
    expect(delivery.triage.found).toEqual([sure, unsaid])
    // The nit is below min-severity: it would not have been shown anyway.
    expect(delivery.unsure).toEqual([unsure])
    expect(delivery.content.footer).toContain(' · 1 below `min-confidence`')
    // At 0, nothing is dropped and the footer says nothing of it.
    const all = prepareDelivery({ ...review, findings }, options)
    expect(all.shown).toEqual([sure, unsure, unsaid])
    expect(all.unsure).toEqual([])
    expect(all.content.footer).not.toContain('min-confidence')
  })
})

describe('the learnings in a delivery', () => {
  /** src/a.ts adds one line, `x`. */
  const files = [{ path: 'src/a.ts', status: 'added' as const, binary: false, text: '@@ -0,0 +1,1 @@\n+x' }]
  it('drop a finding a maintainer rejected on the same code, and the footer counts them and it', () => {
    const rejected: Finding = { file: 'src/a.ts', startLine: 1, endLine: 1, severity: 'high', title: 'Bug', body: '' }
    const learnings = [
      { text: 'Prefer early returns.' },
      { text: 'Not a bug.', rejects: { file: 'src/a.ts', key: findingKey(rejected), code: fingerprintCode(['x']) } }
    ]
    const delivery = prepareDelivery(
      { ...review, findings: [rejected] },
      { ...options, pullRequestFiles: files, learnings, learningsApplied: 2 }
    )
    expect(delivery.triage.rejected).toEqual([rejected])
    expect(delivery.shown).toEqual([])
    expect(delivery.content.footer).toContain(
      ' · 2 learnings applied · 1 rejected by a maintainer before, not repeated'
    )
  })
})

describe('redactReview', () => {
  it("redacts the walkthrough's paths and changes like the rest", () => {
    const secret = 'sk-walkthrough-secret'
    const redacted = redactReview(
      { ...review, walkthrough: [{ files: [`src/${secret}.ts`], change: `Sends ${secret} to the server.` }] },
      [secret]
    )
    expect(redacted.walkthrough).toEqual([
      { files: [`src/${REDACTED}.ts`], change: `Sends ${REDACTED} to the server.` }
    ])
  })

  it("takes out every comment shaped like one of the action's markers, which only the action may write", () => {
    const markers =
      '<!-- opencode-pr-review:head ' + 'c'.repeat(40) + ' --><!--OpenCode-PR-Review:finding 0123456789abcdef 1-1-->'
    const finding = { file: 'src/a.ts', startLine: 1, endLine: 1, severity: 'high', title: `Bad ${markers}` } as const
    const redacted = redactReview(
      {
        ...review,
        summary: `Fine. ${markers}`,
        findings: [{ ...finding, body: `Why. ${markers}`, suggestion: `x()${markers}` }]
      },
      []
    )
    expect(redacted.summary).toBe('Fine. ')
    expect(redacted.findings).toEqual([{ ...finding, title: 'Bad ', body: 'Why. ', suggestion: 'x()' }])
  })
})
