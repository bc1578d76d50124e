/**
 * How the reviewer reaches the repository's files: a local MCP server that OpenCode starts, bundled
 * beside the action and the CLI (dist/workspace/ and dist/cli/workspace/), under the names OpenCode
 * gives its tools. Kept apart from the server itself, which the bundles do not load.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkspaceSource } from './source.js'

/** The server's name in the OpenCode config; OpenCode offers its tools as `<server>_<tool>`. */
export const WORKSPACE_SERVER = 'workspace'
export const WORKSPACE_TOOLS = ['read', 'list', 'glob', 'search'] as const

/** Each tool as the model and OpenCode's permissions know it. */
export const TOOL_IDS = Object.fromEntries(WORKSPACE_TOOLS.map((tool) => [tool, `${WORKSPACE_SERVER}_${tool}`])) as {
  [Tool in (typeof WORKSPACE_TOOLS)[number]]: `${typeof WORKSPACE_SERVER}_${Tool}`
}

/** What the prompts tell the model it may do with them. */
export const WHAT_THE_TOOLS_DO = `list the repository's directories (${TOOL_IDS.list}), find its files by name (${TOOL_IDS.glob}), search their contents (${TOOL_IDS.search}) and read them (${TOOL_IDS.read}), as they are with the change`

/** The bundled server beside the running bundle: dist/workspace/index.js for the action, dist/cli/workspace/index.js for the CLI. */
function bundledServer(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'workspace', 'index.js')
}

/** The `mcp` entry of the OpenCode config: the server, run by this Node, given what it reads. */
export function workspaceServerConfig(source: WorkspaceSource): Record<string, unknown> {
  return {
    [WORKSPACE_SERVER]: {
      type: 'local',
      command: [process.execPath, bundledServer(), JSON.stringify(source)],
      enabled: true
    }
  }
}
