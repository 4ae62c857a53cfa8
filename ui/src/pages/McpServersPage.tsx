import { useCallback, useEffect, useState } from 'react';
import { del, describe, get, post } from '../lib/api';
import { argumentNames } from '../lib/mcp';
import { Button, Confirm, Dialog, Empty, ErrorNote, Field, useToast, when } from '../kit/kit';
import { useCan } from '../lib/role';

const BASE = '/api/v1/mcp-servers';

/** An MCP server as the API gives it: Streamable HTTP with headers naming credentials, or an stdio command. */
export interface McpServer {
  name: string;
  transport: 'http' | 'stdio';
  url?: string;
  headers?: Record<string, string>;
  command?: string;
  args?: string[];
  version: number;
  created_at: string;
  updated_at: string;
}

interface McpTool { name: string; description: string; input_schema: unknown }

/** MCP servers: the tools the mcp node (and agents) call. List, add, test a connection (its tools), delete. */
export function McpServersPage() {
  const [servers, setServers] = useState<McpServer[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [testing, setTesting] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<McpServer | null>(null);
  const toast = useToast();
  const canBuild = useCan('build');   // issue 15: others read the list and may test a connection (a read)

  const load = useCallback(() => get<{ mcp_servers: McpServer[] }>(BASE)
    .then((r) => setServers(r.mcp_servers)).catch((e) => setError(describe(e))), []);
  useEffect(() => { load(); }, [load]);

  return (
    <div className="page">
      <header className="page-head">
        <div><h1>MCP servers</h1><p className="muted">Tools your flows call with the <code>mcp</code> node: a
          server's Streamable HTTP URL (secrets come from stored credentials), or an stdio command the admin allowed.</p></div>
        {canBuild && <Button variant="primary" onClick={() => setAdding(true)} data-test="new-mcp">Add MCP Server</Button>}
      </header>
      <ErrorNote error={error} />
      {servers && servers.length === 0 && <Empty title="No MCP servers">
        <p>{canBuild ? <>Add one with <b>Add MCP Server</b>, then use <b>Test connection</b> to see its tools.</>
          : 'An editor adds MCP servers.'}</p></Empty>}
      {servers && servers.length > 0 && <table className="table">
        <thead><tr><th>Name</th><th>Transport</th><th>Where</th><th>Headers</th><th>Changed</th><th /></tr></thead>
        <tbody>{servers.map((s) => (
          <tr key={s.name} data-test="mcp-row">
            <td className="strong">{s.name}</td><td>{s.transport}</td>
            <td className="mono small">{s.transport === 'http' ? s.url : [s.command, ...(s.args ?? [])].join(' ')}</td>
            <td className="small">{Object.entries(s.headers ?? {}).map(([h, c]) => `${h} ← ${c}`).join(', ')
              || <span className="muted">none</span>}</td>
            <td>{when(s.updated_at)}</td>
            <td className="row-actions">
              <Button small onClick={() => setTesting(s.name)} data-test="mcp-test">Test connection</Button>
              {canBuild && <Button small variant="ghost" onClick={() => setDeleting(s)} data-test="mcp-delete">Delete</Button>}</td>
          </tr>))}
        </tbody>
      </table>}
      {testing && <ToolsView name={testing} />}
      {adding && <NewServerDialog onClose={() => setAdding(false)}
        onCreated={(s) => { setAdding(false); load(); setTesting(s.name); }} />}
      {deleting && <Confirm title="Delete MCP server" action="Delete" onClose={() => setDeleting(null)}
        message={<>Delete “{deleting.name}”? Flows whose mcp nodes name it fail until it is added again.</>}
        onConfirm={() => del(`${BASE}/${encodeURIComponent(deleting.name)}`)
          .then(() => { toast(`Deleted “${deleting.name}”`); setTesting(null); load(); })
          .catch((e) => toast(describe(e), 'error'))} />}
    </div>
  );
}

/** A server's tools, asked of it now: the connection test. */
function ToolsView({ name }: { name: string }) {
  const [tools, setTools] = useState<McpTool[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setTools(null); setError(null);
    get<{ tools: McpTool[] }>(`${BASE}/${encodeURIComponent(name)}/tools`)
      .then((r) => setTools(r.tools)).catch((e) => setError(describe(e)));
  }, [name]);
  return (
    <section className="section" data-test="mcp-tools">
      <h2 className="section">Tools of “{name}”</h2>
      {!tools && !error && <p className="muted">Connecting…</p>}
      <ErrorNote error={error} />
      {tools && <p className="muted" data-test="mcp-tools-count">Connected: {tools.length} tool{tools.length === 1 ? '' : 's'}.</p>}
      {tools && tools.length > 0 && <table className="table">
        <thead><tr><th>Tool</th><th>What it does</th><th>Arguments</th></tr></thead>
        <tbody>{tools.map((t) => (
          <tr key={t.name} data-test="mcp-tool"><td className="mono strong">{t.name}</td><td>{t.description}</td>
            <td className="mono small">{argumentNames(t.input_schema)}</td></tr>))}
        </tbody>
      </table>}
    </section>
  );
}

function NewServerDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (s: McpServer) => void }) {
  const [name, setName] = useState('');
  const [transport, setTransport] = useState<'http' | 'stdio'>('http');
  const [url, setUrl] = useState('');
  const [header, setHeader] = useState('Authorization');
  const [credential, setCredential] = useState('');
  const [credentials, setCredentials] = useState<string[]>([]);
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ credentials: { name: string }[] }>('/api/v1/credentials')
      .then((r) => setCredentials(r.credentials.map((c) => c.name))).catch(() => {});
  }, []);
  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!name.trim()) { setError('Give it a name: flows name it in the mcp node\u2019s server setting.'); return; }
    const body: Record<string, unknown> = { name: name.trim(), transport };
    if (transport === 'http') {
      body.url = url.trim();
      if (credential) body.headers = { [header.trim()]: credential };
    } else {
      body.command = command.trim();
      body.args = args.split('\n').map((a) => a.trim()).filter(Boolean);
    }
    try {
      onCreated(await post<McpServer>(BASE, body));
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <Dialog title="Add MCP Server" onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={() => submit()} data-test="create-mcp">Add server</Button></>}>
      <form onSubmit={submit}>
        <Field label="Name" hint="How flows name it (the mcp node's server), such as github or files.">
          <input value={name} onChange={(e) => setName(e.target.value)} data-test="mcp-name" /></Field>
        <Field label="Transport">
          <select value={transport} onChange={(e) => setTransport(e.target.value as 'http' | 'stdio')} data-test="mcp-transport">
            <option value="http">Streamable HTTP (a URL)</option>
            <option value="stdio">stdio (a command on the allow-list)</option>
          </select></Field>
        {transport === 'http' && <>
          <Field label="URL" hint="The server's MCP endpoint, such as https://mcp.example.com/mcp.">
            <input value={url} onChange={(e) => setUrl(e.target.value)} data-test="mcp-url" /></Field>
          <Field label="Header from a credential" hint="Optional: the stored credential's secret is sent as this header's value.">
            <div className="copy-row">
              <input value={header} onChange={(e) => setHeader(e.target.value)} data-test="mcp-header" />
              <select value={credential} onChange={(e) => setCredential(e.target.value)} data-test="mcp-credential">
                <option value="">no header</option>
                {credentials.map((c) => <option key={c} value={c}>{c}</option>)}
              </select></div></Field>
        </>}
        {transport === 'stdio' && <>
          <Field label="Command" hint="Exactly as on the admin's allow-list (WEFT_MCP_STDIO_ALLOW).">
            <input value={command} onChange={(e) => setCommand(e.target.value)} data-test="mcp-command" /></Field>
          <Field label="Arguments" hint="One per line.">
            <textarea className="mono" rows={3} value={args} onChange={(e) => setArgs(e.target.value)} data-test="mcp-args" /></Field>
        </>}
        <ErrorNote error={error} />
      </form>
    </Dialog>
  );
}
