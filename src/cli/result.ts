import type { PipelineOutcome } from '../pipeline.js'

/** What the command prints on stdout: the review as markdown, or with --json its structured result. */
export function resultText(outcome: Extract<PipelineOutcome, { kind: 'reviewed' }>, json: boolean): string {
  const { review, delivery, diff, conventions } = outcome
  const { summary, footer } = delivery.content
  if (!json) return `${delivery.markdown}\n\n---\n${footer.replace(/<\/?sub>/g, '')}`
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
