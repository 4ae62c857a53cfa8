import { useCallback, useEffect, useState } from 'react';
import { del, describe, get, post } from '../lib/api';
import type { FlowSummary, ServerKey } from '../lib/types';
import { useCan } from '../lib/role';
import { Button, Confirm, CopyButton, Dialog, Empty, ErrorNote, Field, useToast, when } from '../kit/kit';

export function KeysPage() {
  const canBuild = useCan('build');   // issue 15: only editors and owners make and revoke keys
  const [keys, setKeys] = useState<ServerKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ServerKey | null>(null);
  const toast = useToast();

  const load = useCallback(() => get<{ keys: ServerKey[] }>('/api/v1/keys')
    .then((r) => setKeys(r.keys.sort((a, b) => b.created_at.localeCompare(a.created_at))))
    .catch((e) => setError(describe(e))), []);
  useEffect(() => { load(); }, [load]);
  const active = keys?.filter((k) => !k.revoked_at) ?? [];
  const revoked = keys?.filter((k) => k.revoked_at) ?? [];

  return (
    <div className="page">
      <header className="page-head">
        <div><h1>API keys</h1><p className="muted">Server keys let your backend run published flows:
          <code> Authorization: Basic &lt;key&gt;</code>.</p></div>
        {canBuild && <Button variant="primary" onClick={() => setCreating(true)} data-test="new-key">New Server Key</Button>}
      </header>
      <ErrorNote error={error} />
      {keys && active.length === 0 && <Empty title="No server keys">
        <p>{canBuild ? <>Make one with <b>New Server Key</b>; it is shown once, so keep it somewhere safe.</>
          : 'An editor makes server keys.'}</p></Empty>}
      {active.length > 0 && <KeyTable keys={active} onRevoke={canBuild ? setRevoking : undefined} />}
      {revoked.length > 0 && <><h2 className="section">Revoked</h2><KeyTable keys={revoked} /></>}
      {creating && <NewKeyDialog onClose={() => setCreating(false)} onCreated={(k) => { setCreating(false); setCreated(k); load(); }} />}
      {created && <Dialog title="Your new server key" onClose={() => setCreated(null)}
        footer={<Button variant="primary" onClick={() => setCreated(null)} data-test="key-done">I have saved it</Button>}>
        <div className="note note-warn">This is the only time the key is shown: Weft keeps only a hash of it.
          Copy it now; if it is lost, make a new one and revoke this one.</div>
        <Field label={`Key “${created.name}”`}>
          <div className="copy-row"><code className="secret" data-test="new-key-value">{created.key}</code>
            <CopyButton text={created.key} testId="copy-key" /></div>
        </Field>
      </Dialog>}
      {revoking && <Confirm title="Revoke key" action="Revoke" onClose={() => setRevoking(null)}
        message={<>Revoke “{revoking.name}”? Apps using it get 401 from now on. This cannot be undone.</>}
        onConfirm={() => del(`/api/v1/keys/${encodeURIComponent(revoking.id)}`)
          .then(() => { toast(`Revoked “${revoking.name}”`); load(); })
          .catch((e) => toast(describe(e), 'error'))} />}
    </div>
  );
}

function KeyTable({ keys, onRevoke }: { keys: ServerKey[]; onRevoke?: (k: ServerKey) => void }) {
  return (
    <table className="table">
      <thead><tr><th>Name</th><th>Key id</th><th>Flows</th><th>Created</th><th>Last used</th><th>Expires</th>{onRevoke ? <th /> : <th>Revoked</th>}</tr></thead>
      <tbody>{keys.map((k) => (
        <tr key={k.id} data-test="key-row">
          <td className="strong">{k.name}</td><td className="mono muted">{k.id.slice(0, 8)}…</td>
          <td>{k.flow_ids && k.flow_ids.length > 0 ? k.flow_ids.map((f) => `#${f}`).join(', ') : <span className="muted">all</span>}</td>
          <td>{when(k.created_at)}</td><td>{k.last_used_at ? when(k.last_used_at) : <span className="muted">never</span>}</td>
          <td>{k.expires_at ? new Date(k.expires_at).toLocaleDateString() : <span className="muted">never</span>}</td>
          {onRevoke ? <td className="row-actions"><Button small variant="ghost" onClick={() => onRevoke(k)}>Revoke</Button></td>
            : <td>{when(k.revoked_at)}</td>}
        </tr>))}
      </tbody>
    </table>
  );
}

function NewKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (k: { name: string; key: string }) => void }) {
  const [name, setName] = useState('');
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [scope, setScope] = useState<Set<number>>(new Set());
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { get<{ flows: FlowSummary[] }>('/api/v1/flows').then((r) => setFlows(r.flows)).catch(() => {}); }, []);
  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!name.trim()) { setError('Give the key a name, such as the app that will use it.'); return; }
    const body: Record<string, unknown> = { name: name.trim() };
    if (scope.size > 0) body.flow_ids = [...scope];
    if (expires) body.expires_at = new Date(`${expires}T23:59:59`).toISOString();
    try {
      onCreated(await post<{ name: string; key: string }>('/api/v1/keys', body));
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <Dialog title="New Server Key" onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button><Button variant="primary" onClick={() => submit()} data-test="create-key">Create key</Button></>}>
      <form onSubmit={submit}>
        <Field label="Name" hint="Which app or person uses it, so you know what to revoke later.">
          <input value={name} onChange={(e) => setName(e.target.value)} data-test="key-name" /></Field>
        {flows.length > 0 && <Field label="Flows it may run" hint="None ticked: every flow, including future ones.">
          <div className="check-list">{flows.map((f) => (
            <label key={f.id} className="check"><input type="checkbox" checked={scope.has(f.id)} onChange={(e) => {
              const next = new Set(scope);
              if (e.target.checked) next.add(f.id); else next.delete(f.id);
              setScope(next);
            }} />{f.name} <span className="muted">#{f.id}</span></label>))}</div>
        </Field>}
        <Field label="Expires" hint="Leave empty for a key that never expires.">
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} /></Field>
        <ErrorNote error={error} />
      </form>
    </Dialog>
  );
}
