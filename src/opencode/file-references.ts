import { realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../errors.js'

/**
 * OpenCode puts a file's text in place of `{file:path}` in its config: `~/` is the home, an absolute
 * path is itself, and any other is relative to the folder OpenCode runs in. When it reads a pull
 * request, that folder is an empty one of the run's own: a relative path names nothing there (OpenCode
 * then fails every message with an error that says nothing of why), and written out of it (`../..`),
 * or absolute into the checkout, it names the pull request's file, which would become the reviewer's
 * prompt. Both are refused before the server starts, saying what to give instead.
 */

const REFERENCE = /\{file:([^}]+)\}/g

/** The paths of the `{file:…}` references in OpenCode config text, as OpenCode reads them. */
export function fileReferences(configText: string): string[] {
  return [...configText.matchAll(REFERENCE)].map(([, reference]) => reference.trim())
}

/** `candidate` is `folder` or lies inside it, compared by real path where it exists. */
function lies(candidate: string, folder: string): boolean {
  const real = (at: string) => {
    try {
      return realpathSync(at)
    } catch {
      return path.resolve(at)
    }
  }
  const relative = path.relative(real(folder), real(candidate))
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** Refuses a `{file:…}` that names no file outside the pull request's `checkout`. */
export function refusePullRequestFileReferences(configText: string, checkout: string): void {
  for (const reference of fileReferences(configText)) {
    const absolute = reference.startsWith('~/') ? path.join(os.homedir(), reference.slice(2)) : reference
    const why = !path.isAbsolute(absolute)
      ? 'a path relative to where OpenCode runs, an empty folder of the run’s own (never the checkout: its files are the pull request’s)'
      : lies(absolute, checkout)
        ? `inside the checkout ${checkout}, whose files are the pull request’s`
        : undefined
    if (why) {
      throw new ActionError(
        `The OpenCode config ('config', or the agent read from the base branch) names {file:${reference}}: ${why}. A pull request's file must never become the reviewer's configuration: write the text into the config itself, or name an absolute path outside the checkout.`
      )
    }
  }
}
