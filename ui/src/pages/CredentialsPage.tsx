// Stored credentials: create (typed), list without secrets, rotate, delete (refused while a published version uses it).
import { useCallback, useEffect, useState } from 'react';
import { useCan } from '../lib/role';
import { del, describe, get, post } from '../lib/api';
import { CREDENTIAL_TYPES, createBody, emptySecret, forgetCredentials, secretBody, typeTitle, usedBy } from '../lib/credentials';
import type { CredentialInfo, CredentialType, SecretFields } from '../lib/credentials';
import { Button, Confirm, Dialog, Empty, ErrorNote, Field, useToast, when } from '../kit/kit';

export function CredentialsPage() {
  const canBuild = useCan('build');   // issue 15: only editors and owners change credentials
  const [list, setList] = useState<CredentialInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<CredentialInfo | null>(null);
  const [deleting, setDeleting] = useState<CredentialInfo | null>(null);
  const toast = useToast();
  const load = useCallback(() => get<{ credentials: CredentialInfo[] }>('/api/v1/credentials')
    .then((r) => { setList(r.credentials); forgetCredentials(); })
    .catch((e) => setError(describe(e))), []);
  useEffect(() => { load(); }, [load]);

  const remove = (c: CredentialInfo) => del(`/api/v1/credentials/${encodeURIComponent(c.name)}`)
    .then(() => { setError(null); toast(`Deleted “${c.name}”`); load(); })
    .catch((e) => setError(describe(e)));

  return (
    <div className="page" data-test="credentials-page">
      <header className="page-head">
        <div><h1>Credentials</h1><p className="muted">Secrets that nodes name (an LLM's API key, an HTTP login).
          They are stored encrypted and never shown again; flows hold only the name.</p></div>
        {canBuild && <Button variant="primary" onClick={() => setCreating(true)} data-test="new-credential">New credential</Button>}
      </header>
      <ErrorNote error={error} />
      {list && list.length === 0 && <Empty title="No credentials">
        <p>Add one with <b>New credential</b>, then choose it in a node's settings.</p></Empty>}
      {list && list.length > 0 && (
        <table className="table" data-test="credential-table">
          <thead><tr><th>Name</th><th>Type</th><th>Description</th><th>Hosts</th><th>Created</th><th>Rotated</th><th>Used by</th><th /></tr></thead>
          <tbody>{list.map((c) => (
            <tr key={c.name} data-test="credential-row" data-name={c.name}>
              <td className="strong mono">{c.name}</td>
              <td data-test="credential-type">{typeTitle(c.type)}</td>
              <td>{c.description ?? <span className="muted">—</span>}</td>
              <td className="small">{c.hosts.length ? c.hosts.join(', ') : <span className="muted">any</span>}</td>
              <td>{when(c.created_at)}</td>
              <td data-test="credential-rotated">{c.rotated_at ? when(c.rotated_at) : <span className="muted">never</span>}</td>
              <td className="small" data-test="credential-used">{c.used_by.length ? usedBy(c.used_by) : <span className="muted">no flow</span>}
                {c.mcp_servers?.length ? <span data-test="credential-mcp">{c.used_by.length ? '; ' : ' · '}MCP server{c.mcp_servers.length > 1 ? 's' : ''} {c.mcp_servers.join(', ')}</span> : null}
                {c.webhooks?.length ? <span data-test="credential-webhooks">{c.used_by.length || c.mcp_servers?.length ? '; ' : ' · '}webhook{c.webhooks.length > 1 ? 's' : ''} {c.webhooks.join(', ')}</span> : null}</td>
              <td className="row-actions">{canBuild && <>
                <Button small onClick={() => setRotating(c)} data-test="rotate-credential">Rotate</Button>
                <Button small variant="ghost" onClick={() => setDeleting(c)} data-test="delete-credential">Delete</Button></>}
              </td>
            </tr>))}
          </tbody>
        </table>)}
      {creating && <Dialog title="New credential" onClose={() => setCreating(false)}>
        <CredentialForm onCancel={() => setCreating(false)}
          onCreated={(c) => { setCreating(false); toast(`Stored “${c.name}”`); load(); }} /></Dialog>}
      {rotating && <RotateDialog credential={rotating} onClose={() => setRotating(null)}
        onRotated={() => { toast(`Rotated “${rotating.name}”: the next run uses the new secret`); setRotating(null); load(); }} />}
      {deleting && <Confirm title="Delete credential" action="Delete" onClose={() => setDeleting(null)}
        message={<>Delete “{deleting.name}”?{deleting.used_by.some((u) => u.draft)
          ? <> Drafts still name it: {usedBy(deleting.used_by.filter((u) => u.draft))}; their runs will fail until they name another.</> : null}
          {deleting.used_by.some((u) => u.versions.length > 0) ? <> Published versions use it, so Weft will refuse.</> : null}
          {deleting.mcp_servers?.length ? <> MCP servers send it ({deleting.mcp_servers.join(', ')}), so Weft will refuse.</> : null}
          {deleting.webhooks?.length ? <> Webhooks check signatures with it ({deleting.webhooks.join(', ')}), so Weft will refuse.</> : null}</>}
        onConfirm={() => remove(deleting)} />}
    </div>
  );
}

/** The secret inputs of one type: a key or token, a user and password, or name/value header rows. */
export function SecretInputs({ type, fields, onChange }: { type: CredentialType; fields: SecretFields; onChange: (f: SecretFields) => void }) {
  if (type === 'basic') {
    return <>
      <Field label="User"><input value={fields.username} autoComplete="off" data-test="credential-username"
        onChange={(e) => onChange({ ...fields, username: e.target.value })} /></Field>
      <Field label="Password"><input type="password" value={fields.password} autoComplete="new-password" data-test="credential-password"
        onChange={(e) => onChange({ ...fields, password: e.target.value })} /></Field>
    </>;
  }
  if (type === 'headers') {
    const set = (i: number, h: { name: string; value: string }) =>
      onChange({ ...fields, headers: fields.headers.map((old, j) => (j === i ? h : old)) });
    return <Field label="Headers" hint="Each is sent with the request; the values are secret.">
      <div className="credential-headers">{fields.headers.map((h, i) => (
        <div className="credential-header" key={i}>
          <input placeholder="X-Api-Key" value={h.name} data-test={`credential-header-name-${i}`} onChange={(e) => set(i, { ...h, name: e.target.value })} />
          <input type="password" placeholder="value" value={h.value} autoComplete="new-password" data-test={`credential-header-value-${i}`}
            onChange={(e) => set(i, { ...h, value: e.target.value })} />
        </div>))}
        <Button small variant="ghost" onClick={() => onChange({ ...fields, headers: [...fields.headers, { name: '', value: '' }] })}
          data-test="credential-add-header">+ header</Button>
      </div></Field>;
  }
  return <Field label={type === 'bearer' ? 'Token' : 'API key'}>
    <input type="password" value={fields.secret} autoComplete="new-password" data-test="credential-secret"
      onChange={(e) => onChange({ ...fields, secret: e.target.value })} /></Field>;
}

/** The create form, in the Credentials page's dialog or inline beside a node's credential picker. */
export function CredentialForm({ onCreated, onCancel, initialType = 'api_key' }:
  { onCreated: (c: CredentialInfo) => void; onCancel: () => void; initialType?: CredentialType }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<CredentialType>(initialType);
  const [description, setDescription] = useState('');
  const [hosts, setHosts] = useState('');
  const [fields, setFields] = useState<SecretFields>(emptySecret);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      const created = await post<CredentialInfo>('/api/v1/credentials', createBody(name, type, description, hosts, fields));
      forgetCredentials();
      onCreated(created);
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <div className="credential-form" data-test="credential-form">
      <Field label="Name" hint="How node settings name it: letters, digits, _ . -">
        <input value={name} onChange={(e) => setName(e.target.value)} data-test="credential-name" /></Field>
      <Field label="Type" hint={CREDENTIAL_TYPES.find((t) => t.id === type)?.hint}>
        <select value={type} onChange={(e) => setType(e.target.value as CredentialType)} data-test="credential-type-select">
          {CREDENTIAL_TYPES.map((t) => <option key={t.id} value={t.id}>{t.title}</option>)}
        </select></Field>
      <SecretInputs type={type} fields={fields} onChange={setFields} />
      <Field label="Description"><input value={description} onChange={(e) => setDescription(e.target.value)} data-test="credential-description" /></Field>
      <Field label="Hosts" hint="Optional: the only hosts it may be sent to, such as api.openai.com or *.example.com.">
        <input value={hosts} onChange={(e) => setHosts(e.target.value)} data-test="credential-hosts" /></Field>
      <ErrorNote error={error} />
      <div className="actions">
        <Button variant="primary" onClick={submit} data-test="create-credential">Store credential</Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </div>
  );
}

function RotateDialog({ credential, onClose, onRotated }: { credential: CredentialInfo; onClose: () => void; onRotated: () => void }) {
  const [fields, setFields] = useState<SecretFields>(emptySecret);
  const [error, setError] = useState<string | null>(null);
  const submit = () => post(`/api/v1/credentials/${encodeURIComponent(credential.name)}/rotate`, secretBody(credential.type, fields))
    .then(onRotated).catch((e) => setError(describe(e)));
  return (
    <Dialog title={`Rotate “${credential.name}”`} onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={submit} data-test="confirm-rotate">Replace secret</Button></>}>
      <p className="muted">The new {typeTitle(credential.type)} replaces the old one; the name stays, so flows need no change.</p>
      <SecretInputs type={credential.type} fields={fields} onChange={setFields} />
      <ErrorNote error={error} />
    </Dialog>
  );
}
