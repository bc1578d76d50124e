/**
 * The defaults of the action's inputs, the one place they are written: the
 * action, the local command (and its usage text) and the bench read them here,
 * and a test holds action.yml's defaults and the tables of docs/configuration.md (and the
 * README's short one) to them.
 */
export const DEFAULTS = {
  /** The `opencode-ai` release the tests run against (and @opencode-ai/sdk's version). */
  'opencode-version': '1.18.33',
  'comment-mode': 'review',
  'max-diff-chars': 150_000,
  'max-total-chars': 2_000_000,
  'max-sessions': 4,
  /** Seconds. */
  'startup-timeout': 60,
  /** Seconds. */
  'review-timeout': 600,
  'skip-drafts': true,
  'allow-agent-tools': false,
  'inline-comments': true,
  'max-findings': 10,
  verify: false,
  walkthrough: true,
  describe: false,
  /** Every kind of convention file (CONVENTION_SOURCES); `false` none, or a list of kinds. */
  conventions: true,
  'resolve-outdated': true,
  'min-severity': 'low',
  /** Keeps every finding: no model's confidence was measured against a benchmark to choose another (docs/cost-and-noise.md). */
  'min-confidence': 0,
  'fail-on': 'none',
  'review-event': 'comment',
  /** A check run of its own carries the verdict, when the token may write checks. */
  'check-run': true,
  'trigger-phrase': '/review',
  learn: true,
  'learnings-label': 'opencode-review-learnings'
} as const

/** The action's outputs, as action.yml declares them. */
export const OUTPUTS = [
  'review',
  'comment-id',
  'comment-url',
  'session-id',
  'findings',
  'max-severity',
  'standing',
  'verdict'
] as const
export type OutputName = (typeof OUTPUTS)[number]
