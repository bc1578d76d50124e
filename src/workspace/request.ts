import { ToolError } from './tool-error.js'

/**
 * What the reviewer may ask a search for. The pattern is the pull request's to steer: patterns that
 * are costly to compile or match (back-references, multiplied counted repetitions) are refused.
 */

export interface SearchRequest {
  /** A POSIX extended regular expression, or the text itself when `literal`. */
  pattern: string
  literal?: boolean
  /** Which files, relative to the repository's root: `*.ts` (at any depth), `src/**`, `src/**\/*.test.ts`. */
  glob?: string
  ignoreCase?: boolean
}

const MAX_PATTERN_CHARS = 1000
/** `((a{1,100}){1,100}){1,100}` takes gigabytes to compile: counted repetitions, multiplied together, stay under this. */
const MAX_REPETITIONS = 1000

export function refuseCostlyPattern({ pattern, literal }: SearchRequest): void {
  if (pattern === '')
    throw new ToolError('The pattern is empty: give the text or the regular expression to search for.')
  if (pattern.length > MAX_PATTERN_CHARS) {
    throw new ToolError(
      `The pattern has ${pattern.length} characters, more than ${MAX_PATTERN_CHARS}: search for a shorter one.`
    )
  }
  if (/[\n\r\0]/.test(pattern)) {
    throw new ToolError(
      'The pattern holds a line break or a NUL: a search matches within one line, so search for one line of it.'
    )
  }
  if (literal) return
  // Pairs of a backslash and the character it escapes: `\\1` is a backslash and a 1, `\1` a back-reference.
  if ([...pattern.matchAll(/\\(.)/gs)].some(([, escaped]) => /[1-9]/.test(escaped))) {
    throw new ToolError(
      'Back-references (\\1 to \\9) are not supported: they can make a search take exponential time. Search for the text itself, or with literal: true.'
    )
  }
  let repetitions = 1
  for (const [, least, comma, most] of pattern.matchAll(/\{(\d+)(,?)(\d*)\}/g)) {
    const bound = comma === '' ? Number(least) : most === '' ? Number(least) + 1 : Number(most)
    repetitions *= Math.max(bound, 1)
  }
  if (repetitions > MAX_REPETITIONS) {
    throw new ToolError(
      `The pattern's counted repetitions ({n,m}) allow ${repetitions} repeats multiplied together, more than ${MAX_REPETITIONS}: use smaller counts, or + and *.`
    )
  }
}
