/**
 * The workspace's MCP server (bundled to dist/workspace/index.js): the reviewer's tools over stdio,
 * reading the repository its argument names (see source.ts). A refused or failed request comes back
 * to the model as a tool error it can act on.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'
import { globFiles, LISTING_LIMITS, listDirectory } from './listing.js'
import { READ_LIMITS, readFile } from './read.js'
import { SEARCH_LIMITS, searchFiles } from './search.js'
import { parseSource } from './source.js'
import { ToolError } from './tool-error.js'
import { TOOL_IDS, WORKSPACE_SERVER } from './tool.js'
import { Workspace } from './workspace.js'

const workspace = new Workspace(parseSource(process.argv[2] ?? ''))
const server = new McpServer({ name: WORKSPACE_SERVER, version: '1.0.0' })
const annotations = { readOnlyHint: true, openWorldHint: false }
const toolName = (id: string) => id.slice(WORKSPACE_SERVER.length + 1)

/** The tool's answer, or the message of a request it refuses. */
async function answer(
  work: () => Promise<string>
): Promise<{ content: Array<{ type: 'text'; text: string }>; isError?: boolean }> {
  try {
    return { content: [{ type: 'text', text: await work() }] }
  } catch (error) {
    if (!(error instanceof ToolError)) throw error
    return { content: [{ type: 'text', text: error.message }], isError: true }
  }
}

const PATH = 'relative to the repository’s root, such as "src/app.ts"'

server.registerTool(
  toolName(TOOL_IDS.read),
  {
    description: `Read a file of the repository under review (as it is with the change), with line numbers: up to ${READ_LIMITS.maxLines} lines from offset, lines cut after ${READ_LIMITS.maxLineChars} characters. Read a long file in ranges.`,
    inputSchema: {
      path: z.string().describe(`The file's path, ${PATH}.`),
      offset: z.number().int().min(1).optional().describe('The first line to show, from 1 (default 1).'),
      limit: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe(`How many lines to show (default and at most ${READ_LIMITS.maxLines}).`)
    },
    annotations
  },
  (request) => answer(() => readFile(workspace, request))
)

server.registerTool(
  toolName(TOOL_IDS.list),
  {
    description: `List a directory of the repository under review: its files, and its directories ending in "/", at most ${LISTING_LIMITS.maxEntries}.`,
    inputSchema: {
      path: z
        .string()
        .optional()
        .describe(`The directory, ${PATH.replace('src/app.ts', 'src')}; the root when left out.`)
    },
    annotations
  },
  (request) => answer(() => listDirectory(workspace, request.path))
)

server.registerTool(
  toolName(TOOL_IDS.glob),
  {
    description: `Find the files of the repository under review whose path matches a glob. Answers their paths, at most ${LISTING_LIMITS.maxGlobMatches}.`,
    inputSchema: {
      pattern: z
        .string()
        .describe(
          'The glob, relative to the repository’s root: "*.ts" (a name at any depth), "src/**", "src/**/*.test.ts".'
        )
    },
    annotations
  },
  (request) => answer(() => globFiles(workspace, request.pattern))
)

server.registerTool(
  toolName(TOOL_IDS.search),
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
    annotations
  },
  (request) => answer(() => searchFiles(workspace, request))
)

await server.connect(new StdioServerTransport())
