// A flow's webhook triggers: make one (signature preset, secret, mapping, answer mode), see its URL once with a
// copy button and a curl example that signs its request, rotate or revoke it.
import { useCallback, useEffect, useState } from 'react';
import { describe, get, post } from '../lib/api';
import type { Flow } from '../lib/types';
import { emptyForm, PRESETS, summary, webhookBody, webhookCurl } from '../lib/webhooks';
import type { Webhook, WebhookForm } from '../lib/webhooks';
import { CredentialPicker } from '../builder/CredentialPicker';
import { Button, Confirm, CopyButton, Dialog, Empty, ErrorNote, Field, useToast, when } from '../kit/kit';
import { useCan } from '../lib/role';

export function WebhooksPage({ flowId }: { flowId: number }) {
  const [flow, setFlow] = useState<Flow | null>(null);
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Webhook | null>(null);
  const [revoking, setRevoking] = useState<Webhook | null>(null);
  const toast = useToast();
  const canBuild = useCan('build');   // issue 15: others read the webhooks
  const base = `/api/v1/flows/${flowId}/webhooks`;

  const load = useCallback(() => Promise.all([get<Flow>(`/api/v1/flows/${flowId}`), get<{ webhooks: Webhook[] }>(base)])
    .then(([f, w]) => { setFlow(f); setHooks(w.webhooks); }).catch((e) => setError(describe(e))), [flowId, base]);
  useEffect(() => { load(); }, [load]);
  const rotate = (hook: Webhook) => post<Webhook>(`${base}/${hook.id}/rotate`)
    .then((h) => { setShown(h); load(); }).catch((e) => toast(describe(e), 'error'));

  return (
    <div className="page">
      <header className="page-head">
        <div><h1>Webhooks{flow ? ` · ${flow.name}` : ''}</h1>
          <p className="muted">Each webhook has its own URL: a POST to it starts the flow’s published version.</p></div>
        <div className="actions">
          <a href={`#/flows/${flowId}`} className="btn btn-secondary">Open the builder</a>
          {canBuild && <Button variant="primary" onClick={() => setCreating(true)} data-test="new-webhook">New webhook</Button>}
        </div>
      </header>
      <ErrorNote error={error} />
      {hooks && hooks.length === 0 && <Empty title="No webhooks">
        <p>{canBuild ? <>Make one with <b>New webhook</b>; its URL is shown once, so copy it then.</> : 'An editor makes webhooks.'}</p></Empty>}
      {hooks && hooks.length > 0 && <table className="table">
        <thead><tr><th>Name</th><th>How</th><th>Created</th><th>State</th><th /></tr></thead>
        <tbody>{hooks.map((h) => (
          <tr key={h.id} data-test="webhook-row">
            <td className="strong">{h.name}</td><td>{summary(h)}</td><td>{when(h.created_at)}</td>
            <td data-test="webhook-state">{h.live ? 'live' : <span className="muted">revoked {when(h.revoked_at)}</span>}</td>
            <td className="row-actions">
              <a className="btn btn-ghost btn-small" href={`#/tasks?flow=${flowId}`}>Flow’s tasks</a>
              {canBuild && <><Button small variant="ghost" onClick={() => rotate(h)} data-test="rotate-webhook">
                {h.live ? 'New URL' : 'Revive with a new URL'}</Button>
              {h.live && <Button small variant="ghost" onClick={() => setRevoking(h)} data-test="revoke-webhook">Revoke</Button>}</>}
            </td>
          </tr>))}
        </tbody>
      </table>}
      {creating && <NewWebhookDialog base={base} onClose={() => setCreating(false)}
        onCreated={(h) => { setCreating(false); setShown(h); load(); }} />}
      {shown && <ShownOnce hook={shown} onClose={() => setShown(null)} />}
      {revoking && <Confirm title="Revoke webhook" action="Revoke" onClose={() => setRevoking(null)}
        message={<>Revoke “{revoking.name}”? Its URL answers 404 from now on, as an unknown one. A new URL brings it back.</>}
        onConfirm={() => post(`${base}/${revoking.id}/revoke`)
          .then(() => { toast(`Revoked “${revoking.name}”`); load(); })
          .catch((e) => toast(describe(e), 'error'))} />}
    </div>
  );
}

/** The URL, shown once, with a copy button and a curl example signed as the webhook checks. */
function ShownOnce({ hook, onClose }: { hook: Webhook; onClose: () => void }) {
  const url = hook.url ?? '';
  const curl = webhookCurl(url, hook.signature, '{"name":"Ada"}');
  return (
    <Dialog title={`Webhook “${hook.name}”`} wide onClose={onClose}
      footer={<Button variant="primary" onClick={onClose} data-test="webhook-done">I have saved it</Button>}>
      <div className="note note-warn">This is the only time the URL is shown: Weft keeps only a hash of its token.
        If it is lost, give the webhook a new URL.</div>
      <Field label="URL">
        <div className="copy-row"><code className="secret" data-test="webhook-url">{url}</code>
          <CopyButton text={url} testId="copy-webhook-url" /></div>
      </Field>
      <Field label="Try it" hint={hook.signature ? 'Set WEBHOOK_SECRET to the secret of the credential first.'
        : 'Send the start inputs as a JSON object.'}>
        <div className="webhook-curl"><pre className="code" data-test="webhook-curl">{curl}</pre>
          <CopyButton text={curl} testId="copy-webhook-curl" /></div>
      </Field>
    </Dialog>
  );
}

function NewWebhookDialog({ base, onClose, onCreated }: { base: string; onClose: () => void; onCreated: (h: Webhook) => void }) {
  const [form, setForm] = useState<WebhookForm>(emptyForm);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<WebhookForm>) => setForm((f) => ({ ...f, ...patch }));
  const preset = PRESETS.find((p) => p.id === form.preset);
  const submit = async () => {
    if (!form.name.trim()) { setError('Give the webhook a name, such as the service that calls it.'); return; }
    try {
      onCreated(await post<Webhook>(base, webhookBody(form)));
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <Dialog title="New webhook" onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={submit} data-test="create-webhook">Create webhook</Button></>}>
      <Field label="Name" hint="Which service calls it, so you know what to revoke later.">
        <input value={form.name} onChange={(e) => set({ name: e.target.value })} data-test="webhook-name" /></Field>
      <Field label="Signature" hint={preset?.hint}>
        <select value={form.preset} onChange={(e) => set({ preset: e.target.value as WebhookForm['preset'] })}
          data-test="webhook-preset">
          {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
        </select></Field>
      {form.preset !== 'none' && <Field label="Shared secret" hint="A stored credential (API key type) holding the secret the sender signs with.">
        <CredentialPicker value={form.credential} required onChange={(name) => set({ credential: name })}
          testId="webhook-secret" /></Field>}
      {(form.preset === 'hmac' || form.preset === 'header') && <Field label="Header"
        hint={form.preset === 'hmac' ? 'Default X-Signature.' : 'The header that carries the secret.'}>
        <input value={form.header} onChange={(e) => set({ header: e.target.value })} data-test="webhook-header" /></Field>}
      <Field label="Mapping (JSONata, optional)" hint="Over {body, query, headers}, giving the start inputs, such as {&quot;name&quot;: body.sender.login}. Empty: the JSON body’s fields are the inputs.">
        <textarea className="mono" rows={3} value={form.mapping} onChange={(e) => set({ mapping: e.target.value })}
          data-test="webhook-mapping" /></Field>
      <Field label="Answer">
        <div className="webhook-answer">
          <select value={form.mode} onChange={(e) => set({ mode: e.target.value as WebhookForm['mode'] })} data-test="webhook-mode">
            <option value="accepted">At once: 202 with the task id</option>
            <option value="wait">Wait for the result</option>
          </select>
          {form.mode === 'wait' && <><input type="number" min={1} max={300} value={form.waitSeconds}
            onChange={(e) => set({ waitSeconds: e.target.value })} data-test="webhook-wait" /><span className="muted">seconds</span></>}
        </div></Field>
      <ErrorNote error={error} />
    </Dialog>
  );
}

