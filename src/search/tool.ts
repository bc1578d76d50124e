/**
 * How the search reaches the reviewer: a local MCP server that OpenCode starts in the directory it
 * serves, bundled beside the action and the CLI (dist/search/ and dist/cli/search/), under the names
 * OpenCode gives its tool. Kept apart from the server itself, which the bundles do not load.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The server's name in the OpenCode config; OpenCode offers its tools as `<server>_<tool>`. */
export const SEARCH_SERVER = 'workspace'
export const SEARCH_TOOL = 'search'
/** The tool as the model and OpenCode's permissions know it. */
export const SEARCH_TOOL_ID = `${SEARCH_SERVER}_${SEARCH_TOOL}`

/** The bundled server beside the running bundle: dist/search/index.js for the action, dist/cli/search/index.js for the CLI. */
function bundledServer(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'search', 'index.js')
}

/** The `mcp` entry of the OpenCode config: the server, run by this Node, given the read rules it searches within. */
export function searchServerConfig(readRules: Record<string, string>): Record<string, unknown> {
  return {
    [SEARCH_SERVER]: {
      type: 'local',
      command: [process.execPath, bundledServer(), JSON.stringify(readRules)],
      enabled: true
    }
  }
}
