import { execFile } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ActionError } from '../errors.js'
import { gitEnvironment } from '../workspace/git.js'

/**
 * Where OpenCode runs when it reads a pull request: an empty folder of the run's own. OpenCode takes
 * the nearest folder above where it runs that holds a `.git` (a directory, or a file naming one) for
 * its project: it loads that project's `.opencode/` plugins, whatever the flags, and lets its own
 * tools open any of the project's files. A runner folder inside a git work tree (a home kept in git,
 * a runner inside a checkout, a `.git` file in a parent) would so hand OpenCode all of it. Made a git
 * repository of its own (empty: no commit, no hook, no template), the folder is its project root
 * whatever lies around it, and holds nothing to load or read.
 */
export async function emptyProjectRoot(runDir: string): Promise<string> {
  const dir = path.join(runDir, 'workspace')
  await mkdir(dir)
  await promisify(execFile)('git', ['init', '--quiet', '--template=', dir], { env: gitEnvironment() }).catch(
    (error: Error) => {
      throw new ActionError(
        `git is needed to start the reviewer, and \`git init\` of its empty folder failed: ${error.message.trim()}. Install git on the runner.`
      )
    }
  )
  return dir
}
