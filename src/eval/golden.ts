import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ActionError, errorMessage } from '../errors.js'

/**
 * The benchmark's pull requests and their golden comments, in the Martian
 * code-review benchmark's offline format: a JSON array of
 * `{pr_title, url, original_url?, comments: [{comment, severity}]}`, read from
 * a file or downloaded from a URL.
 */

const PUBLISHED = 'https://raw.githubusercontent.com/withmartian/code-review-benchmark/main/offline/golden_comments'

/** The benchmark's published golden comments: one file per repository, 50 pull requests in all. */
export const PUBLISHED_GOLDEN = ['cal_dot_com', 'discourse', 'grafana', 'keycloak', 'sentry'].map(
  (name) => `${PUBLISHED}/${name}.json`
)

export interface GoldenComment {
  comment: string
  severity: string
}

export interface BenchmarkPullRequest {
  title: string
  /** As the golden file gives it: `https://github.com/OWNER/REPO/pull/N`, or a local stand-in's `file://…/pull/N`. */
  url: string
  /** Where its code is fetched from: the URL before `/pull/N`. */
  repository: string
  /** `OWNER/REPO` for `--repo` and file names; a local repository is `local/<folder>`. */
  name: string
  number: number
  comments: GoldenComment[]
}

async function readSource(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source))
    return readFile(source, 'utf8').catch((error: unknown) => {
      throw new ActionError(`Cannot read the golden file ${source}: ${errorMessage(error)}`)
    })
  const response = await fetch(source).catch((error: unknown) => {
    throw new ActionError(`Cannot download the golden file ${source}: ${errorMessage(error)}`)
  })
  if (!response.ok) throw new ActionError(`Cannot download the golden file ${source}: HTTP ${response.status}.`)
  return response.text()
}

/** `OWNER/REPO` of a GitHub repository URL, `local/<folder>` of any other. */
function repositoryName(repository: string): string {
  const github = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(repository)
  if (github) return `${github[1]}/${github[2]}`
  return `local/${path.basename(repository.replace(/\/+$/, '')).replace(/\.git$/, '')}`
}

function pullRequestOf(entry: unknown, where: string): BenchmarkPullRequest {
  const record = (entry ?? {}) as Record<string, unknown>
  const url = typeof record.url === 'string' ? record.url.trim() : ''
  const location = /^(.+)\/pull\/(\d+)\/?$/.exec(url)
  if (!location)
    throw new ActionError(`${where}: 'url' must be a pull request URL such as https://github.com/OWNER/REPO/pull/N.`)
  if (!Array.isArray(record.comments))
    throw new ActionError(`${where}: 'comments' must be an array of {comment, severity}.`)
  const comments = record.comments.map((comment: unknown, index) => {
    const { comment: text, severity } = (comment ?? {}) as Record<string, unknown>
    if (typeof text !== 'string' || text.trim() === '')
      throw new ActionError(`${where}, comment ${index + 1}: 'comment' must be a non-empty string.`)
    return { comment: text, severity: typeof severity === 'string' ? severity : 'unknown' }
  })
  // A local stand-in may be named by its path: fetched through the same code as a file:// URL.
  const repository = location[1].startsWith('/') ? pathToFileURL(location[1]).href : location[1]
  return {
    title: typeof record.pr_title === 'string' ? record.pr_title : url,
    url,
    repository,
    name: repositoryName(repository),
    number: Number(location[2]),
    comments
  }
}

/** Parses one golden file's text; `source` names it in errors. */
export function parseGolden(text: string, source: string): BenchmarkPullRequest[] {
  let entries: unknown
  try {
    entries = JSON.parse(text)
  } catch (error) {
    throw new ActionError(`The golden file ${source} is not JSON: ${errorMessage(error)}`)
  }
  if (!Array.isArray(entries))
    throw new ActionError(`The golden file ${source} must hold a JSON array of pull requests.`)
  return entries.map((entry, index) => pullRequestOf(entry, `${source}, pull request ${index + 1}`))
}

/** Every pull request of the golden files, in their order. */
export async function readGolden(sources: readonly string[]): Promise<BenchmarkPullRequest[]> {
  const files = await Promise.all(sources.map(async (source) => parseGolden(await readSource(source), source)))
  return files.flat()
}
