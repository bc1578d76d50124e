import { type Finding, isSeverity, SEVERITIES } from '../domain/finding.js'
import { parseWalkthrough, WALKTHROUGH_PROPERTY, type WalkthroughRow } from '../domain/walkthrough.js'

/** Findings: what the model reports line by line, validated before anything is posted. */

export interface StructuredReview {
  summary: string
  /** Empty when the walkthrough was not asked for, or the model wrote none. */
  walkthrough: WalkthroughRow[]
  findings: Finding[]
  /** Entries of `findings` that were not valid findings and were dropped. */
  dropped: number
}

const MAX_TITLE_CHARS = 200
const MAX_BODY_CHARS = 8000

/** What a finding's confidence says, in the schema and the prompt alike. */
export const CONFIDENCE_MEANING =
  'how sure you are that the problem is real and worth changing, from 0 to 1: 0.9 when you checked it against the code, 0.5 when it is as likely wrong as right, lower for a guess'

const SUMMARY_PROPERTY = {
  type: 'string',
  description:
    'The review in GitHub markdown: what the change does and your overall assessment. Do not repeat the findings here.'
} as const

const FINDINGS_PROPERTY = {
  type: 'array',
  description: 'Each problem worth changing, most severe first. Empty when there is nothing to change.',
  items: {
    type: 'object',
    properties: {
      file: { type: 'string', description: 'Path of the changed file, as in the diff.' },
      start_line: {
        type: 'integer',
        minimum: 1,
        description: 'First line of the problem in the NEW version of the file.'
      },
      end_line: {
        type: 'integer',
        minimum: 1,
        description: 'Last line of the problem in the NEW version (equal to start_line for one line).'
      },
      quote: {
        type: 'string',
        description:
          'The code of start_line exactly as it reads in the new version, without the diff\'s "+" or space prefix. It places the comment on that line if the line number is off.'
      },
      severity: { type: 'string', enum: [...SEVERITIES] },
      title: { type: 'string', description: 'One line: what is wrong.' },
      body: { type: 'string', description: 'Markdown: what goes wrong, when, and how to fix it.' },
      suggestion: {
        type: 'string',
        description:
          'Optional. Code that replaces lines start_line to end_line of the new version exactly, without a code fence.'
      },
      confidence: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        description: CONFIDENCE_MEANING
      }
    },
    required: ['file', 'start_line', 'end_line', 'severity', 'title', 'body']
  }
} as const

/**
 * The JSON schema of the answer, for OpenCode's structured output (or described in the prompt for a fenced block);
 * `walkthrough` adds the table of what changed, left out otherwise to spare the tokens.
 */
export function reviewSchema(walkthrough: boolean): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      summary: SUMMARY_PROPERTY,
      ...(walkthrough ? { walkthrough: WALKTHROUGH_PROPERTY } : {}),
      findings: FINDINGS_PROPERTY
    },
    required: ['summary', ...(walkthrough ? ['walkthrough'] : []), 'findings']
  }
}

/** The schema of the synthesis of a review in parts when the walkthrough is wanted: the one summary and the one table. */
export const SYNTHESIS_SCHEMA = {
  type: 'object',
  properties: { summary: SUMMARY_PROPERTY, walkthrough: WALKTHROUGH_PROPERTY },
  required: ['summary', 'walkthrough']
} as const

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A whole number from 1 up, also when the model wrote it as a string. */
export function countingNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 ? number : undefined
}

/** A confidence from 0 to 1; a percentage (`85`) is read as one, anything else is no confidence. */
function confidenceOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) return undefined
  if (number <= 1) return number
  return number <= 100 ? number / 100 : undefined
}

function text(value: unknown, limit: number): string {
  return typeof value === 'string' ? value.trim().slice(0, limit) : ''
}

/** One finding as the model wrote it, or undefined when it is not usable. */
function toFinding(raw: unknown): Finding | undefined {
  if (!isRecord(raw)) return undefined
  const file = text(raw.file ?? raw.path, 1000).replace(/^\.?\//, '')
  const start = countingNumber(raw.start_line ?? raw.line)
  const end = countingNumber(raw.end_line ?? raw.line) ?? start
  const severity = text(raw.severity, 20).toLowerCase()
  const title = text(raw.title, MAX_TITLE_CHARS).split('\n')[0].trim()
  if (!file || start === undefined || end === undefined || !isSeverity(severity) || !title) return undefined
  const suggestion =
    typeof raw.suggestion === 'string' && raw.suggestion.trim() !== '' ? raw.suggestion.replace(/\n+$/, '') : undefined
  // Only the first line: that is the one matched against the diff.
  const quote = text(raw.quote, MAX_BODY_CHARS).split('\n')[0].trim()
  const confidence = confidenceOf(raw.confidence)
  return {
    file,
    startLine: Math.min(start, end),
    endLine: Math.max(start, end),
    severity,
    title,
    body: text(raw.body, MAX_BODY_CHARS),
    ...(suggestion === undefined ? {} : { suggestion }),
    ...(quote === '' ? {} : { quote }),
    ...(confidence === undefined ? {} : { confidence })
  }
}

/** Validates the model's structured answer; whatever is malformed is dropped, never thrown. */
export function parseStructuredReview(raw: unknown): StructuredReview | undefined {
  if (!isRecord(raw)) return undefined
  const entries = Array.isArray(raw.findings) ? raw.findings : []
  const findings = entries.map(toFinding).filter((finding): finding is Finding => finding !== undefined)
  return {
    summary: typeof raw.summary === 'string' ? raw.summary.trim() : '',
    walkthrough: parseWalkthrough(raw.walkthrough),
    findings,
    dropped: entries.length - findings.length
  }
}

/**
 * The fallback when structured output is not available: a markdown review
 * ending in a fenced `json` block `{"walkthrough": [...], "findings": [...]}`. The block is taken out
 * of the markdown; a block that does not parse leaves the markdown as it was.
 */
export function splitFencedFindings(markdown: string): StructuredReview {
  const blocks = [...markdown.matchAll(/^(`{3,}|~{3,})[ \t]*json[ \t]*\n([\s\S]*?)\n\1[ \t]*$/gm)]
  const last = blocks.at(-1)
  if (last?.index !== undefined) {
    try {
      const parsed = JSON.parse(last[2]) as unknown
      const review = parseStructuredReview(Array.isArray(parsed) ? { findings: parsed } : parsed)
      if (review) {
        const rest = (markdown.slice(0, last.index) + markdown.slice(last.index + last[0].length)).trim()
        return { ...review, summary: review.summary || rest }
      }
    } catch {
      // Not JSON: the block is part of the review.
    }
  }
  return { summary: markdown.trim(), walkthrough: [], findings: [], dropped: 0 }
}
