import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { FileDiff } from '../diff/parse.js'
import type { Logger } from '../logger.js'

const REPOSITORY_INSTRUCTIONS = '.github/opencode-review.md'

/** `.github/opencode-review.md` of the workspace, unless the pull request itself edits it. */
export async function repositoryGuidelines(workspace: string, files: FileDiff[], log: Logger): Promise<string> {
  // The pull request's own edits to the guidelines are part of what is reviewed, not instructions.
  if (files.some((file) => file.path === REPOSITORY_INSTRUCTIONS)) {
    log.warning(`This pull request changes ${REPOSITORY_INSTRUCTIONS}; its guidelines are not used for this review.`)
    return ''
  }
  return readFile(path.join(workspace, REPOSITORY_INSTRUCTIONS), 'utf8').catch(() => '')
}
