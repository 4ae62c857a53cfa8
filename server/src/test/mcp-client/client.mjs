// Drives Weft's /mcp with the official MCP TypeScript SDK's client (Streamable HTTP transport), as an MCP host
// would: connect (initialize), list the tools, call each call given, and print one JSON object with what it saw.
// usage: node client.mjs <mcp url> <Authorization header value> [<tool name> <arguments JSON>]...
// A failure to connect prints {"connect_error": "..."}; a call that throws prints {"error": "..."} in its place.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, authorization, ...calls] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: authorization } },
});
const client = new Client({ name: 'weft-mcp-client-test', version: '1.0.0' });
const seen = {};
try {
  await client.connect(transport);
} catch (error) {
  console.log(JSON.stringify({ connect_error: String(error && error.message || error) }));
  process.exit(0);
}
seen.server = client.getServerVersion();
seen.protocol = transport.protocolVersion ?? null;
seen.tools = (await client.listTools()).tools;
seen.calls = [];
for (let i = 0; i + 1 < calls.length; i += 2) {
  try {
    seen.calls.push(await client.callTool({ name: calls[i], arguments: JSON.parse(calls[i + 1]) }));
  } catch (error) {
    seen.calls.push({ error: String(error && error.message || error), code: error && error.code });
  }
}
await client.close();
console.log(JSON.stringify(seen));
