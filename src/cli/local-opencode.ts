import os from 'node:os'
import path from 'node:path'
import type { OwnOpencode } from '../opencode/home.js'

/** Where the local command keeps OpenCode and its caches, and finds the developer's own OpenCode config. */

/** The developer's cache folder (XDG), under which the command keeps what it downloads. */
export function cacheHome(): string {
  return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
}

/** Outside a runner, OpenCode is installed into a cache of this command's own, and temporary files go to the system's. */
export function prepareLocalRun(): void {
  process.env.RUNNER_TOOL_CACHE ||= path.join(cacheHome(), 'opencode-pr-review')
  process.env.RUNNER_TEMP ||= os.tmpdir()
}

/** Where OpenCode keeps the developer's own config and credentials. */
export function ownOpencode(): OwnOpencode {
  return {
    config: path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'opencode'),
    data: path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'opencode')
  }
}
