import type { PipelineOutcome } from '../pipeline.js'

/** What the command prints on stdout: the review as markdown, or with --json its structured result. */

/**
 * The review's markdown and footer as a terminal shows them: without what only GitHub renders or reads, the
 * hidden markers (`<!-- opencode-pr-review... -->`) and the footer's `<sub>`.
 */
export function terminalMarkdown(markdown: string, footer: string): string {
  const text = `${markdown}\n\n---\n${footer.replace(/<\/?sub>/g, '')}`
  return text.replace(/^[ \t]*<!--[\s\S]*?-->[ \t]*\n?/gm, '').replace(/<!--[\s\S]*?-->/g, '')
}

export function resultText(outcome: Extract<PipelineOutcome, { kind: 'reviewed' }>, json: boolean): string {
  const { review, delivery, diff, conventions } = outcome
  const { summary, footer } = delivery.content
  if (!json) return terminalMarkdown(delivery.markdown, footer)
  const { model, tokens, cost, sessions, unreviewed } = review
  return JSON.stringify(
    {
      model,
      summary,
      findings: delivery.shown,
      tokens,
      cost,
      sessions,
      unreviewed,
      leftOut: diff.leftOut,
      conventions: conventions.used.map(({ path, why, cutFrom }) => ({ path, why, cutFrom }))
    },
    null,
    2
  )
}
