import { Minimatch } from 'minimatch'
import { ToolError } from './tool-error.js'

/**
 * Paths and globs as the model gives them, taken as the repository's: relative to its root,
 * `/`-separated. There is no folder behind them to climb out of, so an absolute path, `~` or `..`
 * means nothing here: each is refused with what to give instead.
 */

function refuseOutside(given: string, what: string, example: string): void {
  if (given.includes('\0')) throw new ToolError(`The ${what} holds a NUL character: give one such as ${example}.`)
  if (/^([A-Za-z]:|[\\/~])/.test(given)) {
    throw new ToolError(
      `The ${what} '${given}' is not relative to the repository's root: there is no folder around it to reach, so give one such as ${example}.`
    )
  }
  if (given.split(/[\\/]/).includes('..'))
    throw new ToolError(
      `The ${what} '${given}' climbs out with '..': only the repository's files can be read, so give one inside it.`
    )
}

/** A file or directory of the repository: `src/app.ts`, `./src/`, '' or `.` for its root. */
export function repositoryPath(given: string | undefined): string {
  if (given === undefined) return ''
  refuseOutside(given, 'path', 'src/app.ts')
  return given
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/')
}

/** Whether `file` is one a glob names: a glob without `/` matches names at any depth, and directories with all under them. */
export function globMatcher(glob: string): (file: string) => boolean {
  refuseOutside(glob, 'glob', 'src/**/*.ts')
  const patterns = glob.includes('/') ? [glob] : [`**/${glob}`, `**/${glob}/**`]
  const matchers = patterns.map((pattern) => new Minimatch(pattern, { dot: true, platform: 'linux' }))
  return (file) => matchers.some((matcher) => matcher.match(file))
}

/** The folder every file a glob matches lies in: the glob's leading names without a wildcard ('' for the root). */
export function globDirectory(glob: string): string {
  if (!glob.includes('/')) return ''
  const names = glob.split('/').slice(0, -1)
  const wild = names.findIndex((name) => /[*?[\]{}!\\]/.test(name))
  return repositoryPath(names.slice(0, wild < 0 ? names.length : wild).join('/'))
}

/** The same glob as git pathspecs, for `git grep`; none for every file. */
export function pathspecs(glob: string | undefined): string[] {
  if (glob === undefined || glob.trim() === '') return []
  refuseOutside(glob, 'glob', 'src/**/*.ts')
  return glob.includes('/') ? [`:(glob)${glob}`] : [`:(glob)**/${glob}`, `:(glob)**/${glob}/**`]
}
