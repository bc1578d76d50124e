import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'

/**
 * OpenCode keeps its database, logs, state and caches under HOME, and while a
 * session runs it installs `@opencode-ai/plugin` (64 MB from npm) into its
 * config directory. Each server gets a directory of its own instead, removed
 * once the server is down: HOME stays as it was, and nothing is installed.
 */

/** The developer's own OpenCode directories, whose config and credentials the local command reviews with. */
export interface OwnOpencode {
  config: string
  data: string
}

export interface OpencodeHome {
  dir: string
  /** Points OpenCode's directories into `dir`, over the runner's environment. */
  environment: Record<string, string>
}

/** OpenCode installs the plugin package into its config directory unless `node_modules` exists and the lock lists it. */
const PLUGIN_PACKAGE = '@opencode-ai/plugin'
/** What OpenCode keeps in its config directory for that install: never taken from the developer's. */
const INSTALL_FILES = new Set(['node_modules', 'package.json', 'package-lock.json', 'bun.lock', '.gitignore'])

export function createOpencodeHome(parent: string, opencodeVersion: string, own?: OwnOpencode): OpencodeHome {
  const dir = mkdtempSync(path.join(parent, 'opencode-home-'))
  const [config, data, state, cache, tmp] = ['config', 'data', 'state', 'cache', 'tmp'].map((name) =>
    path.join(dir, name)
  )
  const opencodeConfig = path.join(config, 'opencode')
  const opencodeData = path.join(data, 'opencode')
  mkdirSync(path.join(opencodeConfig, 'node_modules'), { recursive: true })
  const dependencies = { [PLUGIN_PACKAGE]: opencodeVersion }
  writeFileSync(path.join(opencodeConfig, 'package-lock.json'), JSON.stringify({ packages: { '': { dependencies } } }))
  for (const made of [opencodeData, state, cache, tmp]) mkdirSync(made, { recursive: true })
  if (own) {
    // Config files are copied (OpenCode writes `$schema` into them); agents, commands and plugins are linked.
    const entries = existsSync(own.config) ? readdirSync(own.config).filter((entry) => !INSTALL_FILES.has(entry)) : []
    for (const entry of entries) {
      const [from, to] = [path.join(own.config, entry), path.join(opencodeConfig, entry)]
      if (statSync(from).isDirectory()) symlinkSync(from, to)
      else copyFileSync(from, to)
    }
    // Linked, so that a refreshed login is kept where OpenCode keeps it.
    const auth = path.join(own.data, 'auth.json')
    if (existsSync(auth)) symlinkSync(auth, path.join(opencodeData, 'auth.json'))
  }
  return {
    dir,
    environment: {
      XDG_CONFIG_HOME: config,
      // OpenCode merges this directory's config, agents and plugins over the others: it is the action's own.
      OPENCODE_CONFIG_DIR: opencodeConfig,
      XDG_DATA_HOME: data,
      XDG_STATE_HOME: state,
      XDG_CACHE_HOME: cache,
      // Bun unpacks a 5.5 MB library into the temporary directory once a session runs, and leaves it there.
      TMPDIR: tmp
    }
  }
}

/** Retried: a server just killed may still be closing its files. */
export function removeOpencodeHome(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
}
