import { errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import { type ConventionFile, type Conventions, describeConventions, fitConventions } from './budget.js'
import {
  type Candidate,
  type ConventionSource,
  conventionCandidates,
  nearestFirst,
  parsePathInstructions,
  whyPathInstructionsApply
} from './select.js'

/**
 * Reads the repository's conventions that apply to a change from its base
 * commit, never from the change itself: a pull request's edits of them are
 * part of what is reviewed, not instructions to its reviewer.
 */

/** The repository's files at the base commit: GitHub's API for a pull request, git for a local branch. */
export interface BaseFiles {
  /** Names the base commit in the log. */
  label: string
  /** Every file path at the base commit. */
  list(): Promise<string[]>
  /** A file's text at the base commit; undefined when there is none. */
  read(path: string): Promise<string | undefined>
}

export const NO_CONVENTIONS: Conventions = { used: [], leftOut: [] }

/** The candidate as it applies to `changed`, or why not: undefined when missing or empty, a string when it does not apply. */
async function readCandidate(
  base: BaseFiles,
  candidate: Candidate,
  changed: readonly string[]
): Promise<ConventionFile | string | undefined> {
  const text = await base.read(candidate.path)
  if (text === undefined) return undefined
  if (candidate.source !== 'path-instructions') return text.trim() ? { ...candidate, text: text.trim() } : undefined
  const { globs, body } = parsePathInstructions(text)
  if (globs.length === 0) return `${candidate.path}: not applied, it has no applyTo in its front matter`
  const why = whyPathInstructionsApply(globs, changed)
  if (!why) return `${candidate.path}: not applied, applyTo "${globs.join(', ')}" matches no changed file`
  return body.trim() ? { ...candidate, why, text: body.trim() } : undefined
}

/**
 * The conventions of `sources` that apply to the `changed` paths, nearest
 * first and within CONVENTION_LIMITS. A file that cannot be read is left out
 * with a warning: the review goes on without it.
 */
export async function readConventions(
  base: BaseFiles,
  changed: readonly string[],
  sources: readonly ConventionSource[],
  log: Logger
): Promise<Conventions> {
  if (sources.length === 0) return NO_CONVENTIONS
  let listed: string[]
  try {
    listed = await base.list()
  } catch (error) {
    log.warning(`Could not list the files of ${base.label}: no repository conventions are used. ${errorMessage(error)}`)
    return NO_CONVENTIONS
  }
  const candidates = conventionCandidates(listed, changed, sources).sort(nearestFirst)
  const read = await Promise.all(
    candidates.map((candidate) =>
      readCandidate(base, candidate, changed).catch((error: unknown) => {
        log.warning(
          `Could not read ${candidate.path} of ${base.label}; the review goes on without it. ${errorMessage(error)}`
        )
        return undefined
      })
    )
  )
  const applying = read.filter((file): file is ConventionFile => typeof file === 'object')
  const conventions = fitConventions(applying)
  if (candidates.length === 0) return conventions
  await log.group(`Repository conventions: ${conventions.used.length} file(s) from ${base.label}`, async () => {
    for (const line of describeConventions(conventions)) log.info(line)
    for (const file of conventions.used.filter((used) => changed.includes(used.path)))
      log.info(`${file.path} is changed here: its base version instructs, the change is reviewed in the diff`)
    for (const reason of read.filter((file) => typeof file === 'string')) log.info(reason)
  })
  return conventions
}
