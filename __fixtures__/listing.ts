import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/** Every path under `dir` with its size (files) or `/` (directories). */
export function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => {
      const stat = statSync(path.join(dir, entry))
      return `${entry} ${stat.isDirectory() ? '/' : stat.size}`
    })
    .sort()
}
