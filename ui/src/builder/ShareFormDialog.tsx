// Share as form: the published flow's hosted forms (/forms/{token}) — create one, copy its link, set or clear its
// password, turn it off, give it a new link, revoke it. Visitors need no account; the link is the secret.
import { useCallback, useEffect, useState } from 'react';
import { api, describe, get, post, del } from '../lib/api';
import { Button, CopyButton, Dialog, ErrorNote, Field } from '../kit/kit';
import { useCan } from '../lib/role';

/** A hosted form as the management API shows it. */
export type HostedForm = { id: number; token: string; path: string; url: string; title: string; description: string;
  password_set: boolean; enabled: boolean };

export function ShareFormDialog({ flowId, published, onClose }: { flowId: number; published: boolean; onClose: () => void }) {
  const base = `/api/v1/flows/${flowId}/forms`;
  const [forms, setForms] = useState<HostedForm[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canBuild = useCan('build');   // issue 15: others see the links, read only
  const load = useCallback(() => get<{ forms: HostedForm[] }>(base).then((r) => setForms(r.forms),
    (e) => setError(describe(e))), [base]);
  useEffect(() => { void load(); }, [load]);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await load();
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Share as form" onClose={onClose} wide
      footer={<Button variant="primary" onClick={onClose} data-test="share-done">Done</Button>}>
      <div data-test="share-panel">
        <p className="muted">Anyone with a form's link can run this flow's published version from a page that asks for
          its start inputs (files as uploads) and shows the result. Add a password to keep it to people you tell.</p>
        <ErrorNote error={error} />
        {!published && <p className="note" data-test="share-unpublished">Publish the flow first: a form runs its latest
          published version.</p>}
        {forms?.map((form) => <FormRow key={form.id} form={form} busy={busy} base={base} act={act} readOnly={!canBuild} />)}
        {forms && forms.length === 0 && published && <p className="muted" data-test="share-none">No form yet.</p>}
        {canBuild && <Button variant={forms && forms.length ? 'secondary' : 'primary'} disabled={busy || !published}
          onClick={() => act(() => post(base, {}))} data-test="share-create">New form link</Button>}
      </div>
    </Dialog>
  );
}

function FormRow({ form, busy, base, act, readOnly }: { form: HostedForm; busy: boolean; base: string;
  act: (work: () => Promise<unknown>) => Promise<void>; readOnly?: boolean }) {
  const item = `${base}/${form.id}`;
  const [title, setTitle] = useState(form.title);
  const [description, setDescription] = useState(form.description);
  const [password, setPassword] = useState('');
  const patch = (body: object) => act(() => api('PATCH', item, body));
  return (
    <section className="share-form" data-test="share-form" data-form-id={form.id}>
      <div className="share-link">
        <a href={form.url} target="_blank" rel="noreferrer" className="mono" data-test="share-url">{form.url}</a>
        <CopyButton text={form.url} label="Copy link" testId="share-copy" />
      </div>
      <div className="share-meta muted small">
        {form.enabled ? 'On' : 'Off'} · {form.password_set ? 'password required' : 'no password'}
      </div>
      {readOnly ? <p className="small" data-test="share-readonly">{form.title}{form.description ? ` — ${form.description}` : ''}</p> : <>
      <div className="share-grid">
        <Field label="Title">
          <input value={title} onChange={(e) => setTitle(e.target.value)} data-test="share-title"
            onBlur={() => { if (title.trim() && title !== form.title) void patch({ title }); }} />
        </Field>
        <Field label={form.password_set ? 'New password' : 'Password (optional)'} hint="At least 8 characters">
          <input type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)}
            data-test="share-password" />
        </Field>
      </div>
      <Field label="Description" hint="Shown under the title">
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} data-test="share-description"
          onBlur={() => { if (description !== form.description) void patch({ description }); }} />
      </Field>
      <div className="share-actions">
        <Button small disabled={busy || password.length === 0}
          onClick={() => { void patch({ password }).then(() => setPassword('')); }} data-test="share-set-password">
          Set password</Button>
        {form.password_set && <Button small disabled={busy} onClick={() => patch({ password: null })}
          data-test="share-clear-password">Remove password</Button>}
        <Button small disabled={busy} onClick={() => patch({ enabled: !form.enabled })} data-test="share-toggle">
          {form.enabled ? 'Turn off' : 'Turn on'}</Button>
        <Button small disabled={busy} onClick={() => act(() => post(`${item}/rotate`))} data-test="share-rotate"
          title="A new link; the old one stops working">New link</Button>
        <Button small variant="danger" disabled={busy} onClick={() => act(() => del(item))} data-test="share-revoke">
          Revoke</Button>
      </div></>}
    </section>
  );
}
