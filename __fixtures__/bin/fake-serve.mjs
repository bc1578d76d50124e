#!/usr/bin/env node
// Stands in for `opencode serve`: answers GET /global/health behind basic auth,
// or with FAKE_SERVE_SILENT=1 accepts connections and never answers, as a booting server does;
// FAKE_SERVE_LISTEN_AFTER_MS delays listening, as a slow boot does.
import http from 'node:http'
const port = Number(process.argv[process.argv.indexOf('--port') + 1])
const expected = `Basic ${Buffer.from(`opencode:${process.env.OPENCODE_SERVER_PASSWORD}`).toString('base64')}`
const server = http
  .createServer((req, res) => {
    if (process.env.FAKE_SERVE_SILENT === '1') return
    if (req.headers.authorization !== expected) return res.writeHead(401).end()
    if (req.url === '/global/health') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"healthy":true,"version":"fake"}')
    res.writeHead(404).end()
  })
setTimeout(() => server.listen(port, '127.0.0.1'), Number(process.env.FAKE_SERVE_LISTEN_AFTER_MS ?? 0))
