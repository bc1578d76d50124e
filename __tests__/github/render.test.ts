import { describe, expect, it } from '@jest/globals'
import type { LeftOutFile } from '../../src/diff/select.js'
import type { Finding } from '../../src/domain/finding.js'
import {
  composeBody,
  formatFooter,
  MAX_BODY_CHARS,
  renderFindingList,
  renderInlineComment,
  renderLeftOutFiles,
  renderStandingList,
  renderVerdict,
  renderWalkthrough,
  verdictHeadline
} from '../../src/github/render.js'
import { alreadyPosted, findingKey, headMarker, MARKER, readPostedFindings } from '../../src/domain/markers.js'
import type { StandingFinding, Verdict } from '../../src/domain/verdict.js'

const HEAD = 'c'.repeat(40)
const TAIL = `${MARKER}\n${headMarker(HEAD)}`
const finding = (patch: Partial<Finding> = {}): Finding => ({
  file: 'src/a.ts',
  startLine: 3,
  endLine: 4,
  severity: 'high',
  title: 'Off by one',
  body: 'Loops once too often.',
  ...patch
})

describe('formatFooter', () => {
  it('names the model, the files, the tokens and the cost', () => {
    expect(
      formatFooter({
        model: 'anthropic/claude',
        filesReviewed: 3,
        filesLeftOut: 2,
        tokens: { input: 12000, output: 800 },
        cost: 0.0421
      })
    ).toBe(
      '<sub>Reviewed by OpenCode with `anthropic/claude` · 3 files reviewed · 2 left out · 12,000 in / 800 out tokens · $0.0421</sub>'
    )
  })

  it('says when only the changes since the last review were reviewed', () => {
    expect(formatFooter({ model: 'fake/m', filesReviewed: 2, filesLeftOut: 0, since: 'abcdef1234567' })).toBe(
      '<sub>Reviewed by OpenCode with `fake/m` · 2 files reviewed · changes since abcdef1</sub>'
    )
  })

  it('counts the findings past max-findings and those dropped by verification', () => {
    expect(formatFooter({ model: 'fake/m', filesReviewed: 1, filesLeftOut: 0, omitted: 3, refuted: 1 })).toBe(
      '<sub>Reviewed by OpenCode with `fake/m` · 1 file reviewed · 3 more findings past `max-findings` · 1 dropped by verification</sub>'
    )
    expect(formatFooter({ model: 'fake/m', filesReviewed: 1, filesLeftOut: 0, omitted: 1, refuted: 0 })).toBe(
      '<sub>Reviewed by OpenCode with `fake/m` · 1 file reviewed · 1 more finding past `max-findings`</sub>'
    )
  })

  it('leaves out what OpenCode did not report', () => {
    expect(
      formatFooter({ model: 'fake/m', filesReviewed: 1, filesLeftOut: 0, tokens: { input: 0, output: 0 }, cost: 0 })
    ).toBe('<sub>Reviewed by OpenCode with `fake/m` · 1 file reviewed</sub>')
  })
})

describe('composeBody', () => {
  it('ends with the footer, the marker and the reviewed head', () => {
    expect(composeBody('Looks good.', 'footer', HEAD)).toBe(`Looks good.\n\n---\nfooter\n${TAIL}`)
  })

  it('cuts a review that is too long, says so, and keeps the marker', () => {
    const body = composeBody('word '.repeat(20_000), 'footer', HEAD)
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    expect(body).toContain('The review was cut here: it had 100,000 characters')
    expect(body.endsWith(TAIL)).toBe(true)
  })

  it('closes a code block the cut left open', () => {
    const markdown = 'Intro\n```ts\n' + 'const x = 1\n'.repeat(100)
    const body = composeBody(markdown, 'f', HEAD, undefined, 500)
    expect(body.length).toBeLessThanOrEqual(500)
    expect(body.match(/```/g)).toHaveLength(2)
  })

  it('does not split a surrogate pair', () => {
    const body = composeBody('😀'.repeat(400), 'f', HEAD, undefined, 500)
    expect(body.length).toBeLessThanOrEqual(500)
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})

describe('renderInlineComment', () => {
  it('puts the severity, the title, the explanation and a one-click suggestion on the lines', () => {
    const body = renderInlineComment(finding({ suggestion: 'for (let i = 0; i < n; i++) {\n}' }))
    expect(body).toMatch(
      /^\*\*high\*\* · Off by one\n\nLoops once too often\.\n\n```suggestion\nfor \(let i = 0; i < n; i\+\+\) \{\n\}\n```\n\n<!-- opencode-pr-review:finding [0-9a-f]{16} 3-4 high - src%2Fa\.ts Off%20by%20one -->$/
    )
  })

  it('fences a suggestion that holds a fence with a longer one', () => {
    const body = renderInlineComment(finding({ suggestion: 'const md = `\n```js\nx\n```\n`' }))
    expect(body).toContain('````suggestion\nconst md')
    expect(body).toContain('```\n`\n````')
  })
})

describe('renderFindingList', () => {
  it('lists findings with their file and lines under a heading', () => {
    const list = renderFindingList(
      [finding(), finding({ severity: 'nit', startLine: 9, endLine: 9, title: 'Name', body: 'Line one\nline two' })],
      'Findings'
    )
    expect(list).toContain(
      '### Findings\n\n- **high** · `src/a.ts` lines 3–4: Off by one\n\n  Loops once too often.\n<!-- opencode-pr-review:finding '
    )
    expect(list).toContain('- **nit** · `src/a.ts` line 9: Name\n\n  Line one\n  line two\n')
    expect(renderFindingList([], 'Findings')).toBe('')
  })
})

describe('posted findings', () => {
  it('are read back from what was posted and recognised on the same lines only', () => {
    const posted = readPostedFindings(
      `${renderFindingList([finding()], 'Findings')}\n${renderInlineComment(finding({ file: 'src/b.ts', startLine: 7, endLine: 7 }))}`
    )
    expect(posted).toHaveLength(2)
    expect(alreadyPosted(finding({ title: '  OFF  by one ', body: 'other words', severity: 'low' }), posted)).toBe(true)
    expect(alreadyPosted(finding({ startLine: 5, endLine: 6 }), posted)).toBe(false)
    expect(alreadyPosted(finding({ title: 'Another problem' }), posted)).toBe(false)
    expect(alreadyPosted(finding({ file: 'src/b.ts', startLine: 7, endLine: 7 }), posted)).toBe(true)
  })
})

describe('renderLeftOutFiles', () => {
  it('lists every file left out and why, folded, in a fence no path can close', () => {
    const leftOut: LeftOutFile[] = Array.from({ length: 2500 }, (_, i) => ({
      path: `src/m${i}/x.ts`,
      reason: 'over-budget'
    }))
    leftOut.push({ path: 'docs/```\n</details>.md', reason: 'excluded' })
    const list = renderLeftOutFiles(leftOut)
    expect(list).toMatch(/^<details><summary>2,501 files left out of the review<\/summary>\n\n````\n/)
    expect(list).toContain("src/m2499/x.ts (over the diff budget ('max-total-chars'))")
    expect(list).toContain('docs/```\n</details>.md (excluded by pattern)\n````\n\n</details>')
    expect(renderLeftOutFiles([])).toBe('')
  })
})

describe('renderWalkthrough', () => {
  it('is a table of the paths in code spans and one line on what changed', () => {
    expect(
      renderWalkthrough([
        { files: ['src/login.ts', 'src/session.ts'], change: 'Logs in with OAuth.' },
        { files: ['docs/auth.md'], change: 'Documents it.' }
      ])
    ).toBe(
      [
        '| Files | What changed |',
        '| --- | --- |',
        '| `src/login.ts`, `src/session.ts` | Logs in with OAuth. |',
        '| `docs/auth.md` | Documents it. |'
      ].join('\n')
    )
    expect(renderWalkthrough([])).toBe('')
  })

  it('shows five paths a cell at most, and counts the rest', () => {
    const files = Array.from({ length: 8 }, (_, i) => `f${i}.ts`)
    expect(renderWalkthrough([{ files, change: 'Many.' }])).toContain(
      '| `f0.ts`, `f1.ts`, `f2.ts`, `f3.ts`, `f4.ts` and 3 more | Many. |'
    )
  })

  it('keeps every row in its cells: pipes escaped, backticks fenced longer, no comment hiding the rest', () => {
    const table = renderWalkthrough([
      { files: ['a|b.ts', 'x`y.ts', '`edge`', 'z``w.ts'], change: 'Uses a | b <!-- hides -->.' }
    ])
    expect(table.split('\n')[2]).toBe(
      '| `a\\|b.ts`, ``x`y.ts``, `` `edge` ``, ```z``w.ts``` | Uses a \\| b &lt;!-- hides -->. |'
    )
  })
})

describe('the verdict', () => {
  const standing = (title: string, severity: StandingFinding['severity'], url?: string): StandingFinding => ({
    key: findingKey({ file: 'src/a.ts', title }),
    file: 'src/a.ts',
    title,
    severity,
    startLine: 3,
    endLine: 4,
    ...(url ? { url } : {})
  })
  const verdict = (patch: Partial<Verdict>): Verdict => ({
    failOn: 'high',
    standing: [],
    blocking: [],
    resolved: 0,
    state: 'clear',
    ...patch
  })

  it('names what blocks, by severity, each linked to where it was posted; this review’s own unlinked', () => {
    const blocking = [standing('SQL [injection]', 'critical', 'https://x/1'), standing('New one', 'high')]
    const judged = verdict({
      standing: [...blocking, standing('Nit', 'low')],
      blocking,
      state: 'blocking',
      resolved: 2
    })
    expect(renderVerdict(judged)).toBe(
      '**Blocking:** 2 findings at or above `high` stand (critical: [SQL \\[injection\\]](https://x/1) (`src/a.ts`:3); high: New one (`src/a.ts`:3)). Resolved since the last review: 2.'
    )
    expect(verdictHeadline(judged)).toBe(
      'Blocking: 2 findings at or above high stand. Resolved since the last review: 2.'
    )
    expect(renderStandingList(judged, 'https://x/review')).toBe(
      '### Standing findings\n\n- **critical** · blocking · `src/a.ts` lines 3–4: [SQL \\[injection\\]](https://x/1)\n- **high** · blocking · `src/a.ts` lines 3–4: [New one](https://x/review)\n- **low** · `src/a.ts` lines 3–4: [Nit](https://x/review)'
    )
  })

  it('says when nothing at or above fail-on stands, names five at most, only counts those of earlier reviews without fail-on, and says nothing when nothing is to be said', () => {
    expect(renderVerdict(verdict({ standing: [standing('Nit', 'low')] }))).toBe(
      'Nothing at or above `high` stands; 1 finding below it stands.'
    )
    const many = Array.from({ length: 7 }, (_, index) => standing(`F${index}`, index ? 'medium' : 'high'))
    expect(renderVerdict(verdict({ blocking: many, standing: many, state: 'blocking' }))).toBe(
      '**Blocking:** 7 findings at or above `high` stand (high: F0 (`src/a.ts`:3); medium: F1 (`src/a.ts`:3), F2 (`src/a.ts`:3), F3 (`src/a.ts`:3), F4 (`src/a.ts`:3); and 2 more).'
    )
    // Without fail-on, counted when earlier reviews' stand; this review's own are in the review itself.
    const earlier = [...many, standing('Earlier', 'low', 'https://x/2')]
    expect(renderVerdict(verdict({ failOn: undefined, standing: earlier }))).toBe(
      '8 findings stand (1 high, 6 medium, 1 low).'
    )
    expect(renderVerdict(verdict({ failOn: undefined, standing: many }))).toBe('')
    expect(verdictHeadline(verdict({ failOn: undefined, standing: many }))).toBe('7 findings stand (1 high, 6 medium).')
    expect(renderVerdict(verdict({ failOn: undefined }))).toBe('')
    expect(renderStandingList(verdict({}))).toBe('')
  })

  it('records the keys of what stands in the body, after the head', () => {
    const keys = [findingKey({ file: 'src/a.ts', title: 'A' })]
    expect(composeBody('Review.', 'footer', HEAD, keys)).toBe(
      `Review.\n\n---\nfooter\n${TAIL}\n<!-- opencode-pr-review:standing ${keys[0]} -->`
    )
  })
})
