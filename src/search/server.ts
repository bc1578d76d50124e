/**
 * The search's MCP server (bundled to dist/search/index.js): one tool over stdio, searching the
 * directory OpenCode starts it in (the workspace it serves) within the read rules given as its
 * argument. A refused or failed search comes back to the model as a tool error it can act on.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'
import { parseReadRules } from './read-rules.js'
import { SEARCH_LIMITS, searchWorkspace } from './search.js'
import { SearchError } from './request.js'
import { SEARCH_SERVER, SEARCH_TOOL } from './tool.js'

const rules = parseReadRules(process.argv[2] ?? '')
const workspace = process.cwd()

const server = new McpServer({ name: SEARCH_SERVER, version: '1.0.0' })
server.registerTool(
  SEARCH_TOOL,
  {
    description: `Search the contents of the repository's files (the files you may read) for a pattern. Answers one "path:line: text" line per match, at most ${SEARCH_LIMITS.maxMatches}, lines cut after ${SEARCH_LIMITS.maxLineChars} characters. Use it to find the definitions and the callers of the symbols a change touches.`,
    inputSchema: {
      pattern: z
        .string()
        .describe(
          'A POSIX extended regular expression (alternation |, groups, [0-9] classes, \\b word boundaries; no \\d, lookaround or back-references), or the text itself when literal is true.'
        ),
      literal: z.boolean().optional().describe('Search for the pattern as plain text: no character is special.'),
      glob: z
        .string()
        .optional()
        .describe(
          'Only files whose path, relative to the repository, matches: "*.ts" (a name at any depth), "src/**", "src/**/*.test.ts".'
        ),
      ignoreCase: z.boolean().optional().describe('Match letters in either case.')
    },
    annotations: { readOnlyHint: true, openWorldHint: false }
  },
  async (request) => {
    try {
      return { content: [{ type: 'text', text: await searchWorkspace(workspace, rules, request) }] }
    } catch (error) {
      if (!(error instanceof SearchError)) throw error
      return { content: [{ type: 'text', text: error.message }], isError: true }
    }
  }
)
await server.connect(new StdioServerTransport())
