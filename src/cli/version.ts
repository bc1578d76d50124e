import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The package's version, from its package.json above this code, read when asked: in the package
 * (above dist/cli/index.js) as in a clone (above src/cli/). Read, not bundled, so that the release's
 * version bump leaves the committed bundle as it was.
 */
export function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    // The bundler leaves a package.json of its own beside the bundle ({"type": "module"}): the package's has the name.
    const file = path.join(dir, 'package.json')
    const manifest = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string })
      : {}
    if (manifest.name === 'opencode-pr-review' && manifest.version) return manifest.version
    if (path.dirname(dir) === dir) throw new Error('no package.json of opencode-pr-review above the command')
  }
}
