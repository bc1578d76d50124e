import { countingNumber } from './findings.js'
import type { Finding } from '../domain/finding.js'
import { TOOL_IDS } from '../workspace/tool.js'

/**
 * The `verify` input: a second message in the review's session asks the model
 * to check each of its findings against the code, and only those it stands by
 * are posted.
 */

/** The answer to the verification message, through OpenCode's structured output. */
export const VERIFICATION_SCHEMA = {
  type: 'object',
  properties: {
    holding: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      description: 'The numbers of the findings that hold after checking the code; empty when none does.'
    }
  },
  required: ['holding']
} as const

function listEntry(finding: Finding, number: number): string {
  const where = `${finding.file}:${finding.startLine}${finding.endLine === finding.startLine ? '' : `-${finding.endLine}`}`
  const quote = finding.quote === undefined ? '' : ` (\`${finding.quote}\`)`
  return `${number}. [${finding.severity}] ${where}${quote}: ${finding.title}\n${finding.body}`.trim()
}

export function buildVerificationPrompt(findings: readonly Finding[]): string {
  return [
    `Before your ${findings.length} finding(s) are posted, check each one against the code: read the files (${TOOL_IDS.read}) wherever the diff does not show enough. A finding holds when the problem is real, at the lines it names in the new version, and worth the author's time. Drop it when the code already handles the case, when it misreads the code, or when it is speculation.`,
    'When you are done, call the StructuredOutput tool once: "holding" lists the numbers of the findings that hold.',
    findings.map((finding, index) => listEntry(finding, index + 1)).join('\n\n')
  ].join('\n\n')
}

export interface Verdict {
  kept: Finding[]
  refuted: Finding[]
}

/** Splits `findings` by the verification's answer; undefined when the answer is not one. */
export function verdictOn(findings: readonly Finding[], answer: unknown): Verdict | undefined {
  const holding = (answer as { holding?: unknown } | null | undefined)?.holding
  if (!Array.isArray(holding)) return undefined
  const numbers = new Set(holding.map(countingNumber))
  const holds = (index: number) => numbers.has(index + 1)
  return {
    kept: findings.filter((_, index) => holds(index)),
    refuted: findings.filter((_, index) => !holds(index))
  }
}
