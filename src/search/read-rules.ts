/**
 * OpenCode's read permission, evaluated as OpenCode evaluates it: the search shows a file's lines
 * only where the read tool would show the file. Patterns are OpenCode's wildcards (`*` any run of
 * characters, `/` included; `?` one character), matched against the whole workspace-relative path;
 * the last matching rule wins, and a path no rule matches is not read.
 */

export type ReadRules = ReadonlyArray<{ pattern: RegExp; allow: boolean }>

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replaceAll('\\', '/')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, 's')
}

/** The rules from the `read` entry of an OpenCode permission (`{"*": "allow", "*.env": "deny"}`), in their order. */
export function parseReadRules(json: string): ReadRules {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    parsed = undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`The read rules must be a JSON object of patterns to "allow" or "deny", not: ${json.slice(0, 200)}`)
  }
  return Object.entries(parsed).map(([pattern, effect]) => {
    if (effect !== 'allow' && effect !== 'deny') {
      throw new Error(`The read rule for '${pattern}' must be "allow" or "deny", not ${JSON.stringify(effect)}.`)
    }
    return { pattern: wildcard(pattern), allow: effect === 'allow' }
  })
}

/** Whether the rules let the reviewer read `relativePath` (relative to the workspace, `/`-separated). */
export function mayRead(rules: ReadRules, relativePath: string): boolean {
  let allowed = false
  for (const rule of rules) if (rule.pattern.test(relativePath)) allowed = rule.allow
  return allowed
}
