import { readAtBase } from './base-files.js'
import type { Octokit } from './client.js'
import type { PullRequest } from '../domain/pull-request.js'

/** Where OpenCode keeps a project's agents: one markdown file per agent. */
const AGENT_DIRECTORIES = ['.opencode/agent', '.opencode/agents']

/** Frontmatter keys carried into the agent's config; tools and permissions are the action's to set. */
const CARRIED_KEYS = new Set(['description', 'mode', 'model', 'temperature', 'top_p', 'variant'])

function scalar(raw: string): string | number {
  const value = raw.trim().replace(/^(['"])(.*)\1$/, '$2')
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
}

/** Reads an OpenCode agent file: YAML frontmatter (top-level scalars) and the prompt as its body. */
export function parseAgentMarkdown(text: string): Record<string, unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text)
  const agent: Record<string, unknown> = {}
  for (const line of (match?.[1] ?? '').split(/\r?\n/)) {
    const entry = /^([A-Za-z_]+):\s*(\S.*)$/.exec(line)
    if (entry && CARRIED_KEYS.has(entry[1])) agent[entry[1]] = scalar(entry[2])
  }
  const prompt = (match ? match[2] : text).trim()
  if (prompt) agent.prompt = prompt
  return agent
}

/**
 * The repository's own definition of `name`, read from the pull request's base
 * commit: the checkout holds the pull request's version, which its author controls.
 */
export async function fetchRepositoryAgent(
  octokit: Octokit,
  pullRequest: PullRequest,
  name: string
): Promise<Record<string, unknown> | undefined> {
  for (const directory of AGENT_DIRECTORIES) {
    const text = await readAtBase(octokit, pullRequest, `${directory}/${name}.md`)
    if (text !== undefined) return parseAgentMarkdown(text)
  }
  return undefined
}
