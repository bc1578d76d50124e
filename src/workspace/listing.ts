/**
 * The list and glob tools: the repository's paths, never those the reviewer may not read.
 */
import { globDirectory, globMatcher, repositoryPath } from './paths.js'
import { hiddenReason } from './rules.js'
import { ToolError } from './tool-error.js'
import type { Workspace } from './workspace.js'

export interface ListingLimits {
  maxEntries: number
  maxGlobMatches: number
}

export const LISTING_LIMITS: ListingLimits = { maxEntries: 500, maxGlobMatches: 100 }

const count = (value: number) => value.toLocaleString('en-US')

const SUFFIXES = {
  directory: '/',
  file: '',
  link: ' (symbolic link)',
  submodule: ' (submodule, not part of this review)'
}

/** The entries of the directory `given` names (the root when none), a line each, directories ending in `/`. */
export async function listDirectory(
  workspace: Workspace,
  given: string | undefined,
  limits = LISTING_LIMITS
): Promise<string> {
  const directory = repositoryPath(given)
  const files = workspace.files()
  const children = await files.children(directory)
  if (children === undefined) {
    if ((await files.entry(directory)) !== undefined)
      throw new ToolError(`${directory} is a file: read it with workspace_read.`)
    throw new ToolError(
      `There is no directory ${directory} in the repository under review. Paths are relative to its root and names are case-sensitive.`
    )
  }
  const within = (name: string) => (directory ? `${directory}/${name}` : name)
  const shown = children.filter((child) => hiddenReason(within(child.name)) === undefined)
  const lines = shown.slice(0, limits.maxEntries).map((child) => `${within(child.name)}${SUFFIXES[child.kind]}`)
  const notes: string[] = []
  if (shown.length > limits.maxEntries)
    notes.push(
      `Only the first ${count(limits.maxEntries)} of ${count(shown.length)} entries are shown: list a directory within, or use workspace_glob.`
    )
  if (shown.length < children.length)
    notes.push(
      `${children.length - shown.length} entries you may not read (agent configuration, secrets, .git) are not shown.`
    )
  if (lines.length === 0) lines.push(`${directory || 'The repository’s root'} holds nothing you may read.`)
  return [...lines, ...(notes.length ? [`(${notes.join(' ')})`] : [])].join('\n')
}

/** The files whose path the glob matches, a line each, sorted. */
export async function globFiles(workspace: Workspace, glob: string, limits = LISTING_LIMITS): Promise<string> {
  if (glob.trim() === '') throw new ToolError('The glob is empty: give one such as **/*.ts or src/**.')
  const matches = globMatcher(glob)
  const found: string[] = []
  for (const [file, entry] of await workspace.files().files(globDirectory(glob)))
    if (entry.kind !== 'submodule' && matches(file) && hiddenReason(file) === undefined) found.push(file)
  if (found.length === 0) return 'No files match.'
  found.sort()
  const lines = found.slice(0, limits.maxGlobMatches)
  if (found.length > limits.maxGlobMatches)
    lines.push(
      `(Only the first ${count(limits.maxGlobMatches)} of ${count(found.length)} files are shown: narrow the glob to see others.)`
    )
  return lines.join('\n')
}
