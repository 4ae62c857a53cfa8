// A node setting that names a stored credential: a select of the stored ones, and "+ New credential" inline.
import { useEffect, useState } from 'react';
import { describe, get } from '../lib/api';
import { credentialList, forgetCredentials, typeTitle } from '../lib/credentials';
import type { CredentialInfo } from '../lib/credentials';
import { CredentialForm } from '../pages/CredentialsPage';

const NEW = '\u0000new';

export function CredentialPicker({ value, required, onChange, testId }:
  { value: string; required: boolean; onChange: (name: string) => void; testId: string }) {
  const [list, setList] = useState<CredentialInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    let live = true;
    credentialList(() => get<{ credentials: CredentialInfo[] }>('/api/v1/credentials').then((r) => r.credentials))
      .then((l) => { if (live) setList(l); }).catch((e) => { if (live) setError(describe(e)); });
    return () => { live = false; };
  }, [creating]);
  const stored = list?.some((c) => c.name === value) ?? true;
  return (
    <>
      <select value={creating ? NEW : value} data-test={testId} onChange={(e) => {
        if (e.target.value === NEW) { setCreating(true); return; }
        setCreating(false);
        onChange(e.target.value);
      }}>
        <option value="">{required ? '— choose a credential —' : '— none —'}</option>
        {list?.map((c) => <option key={c.name} value={c.name}>{c.name} ({typeTitle(c.type)})</option>)}
        {value && !stored && <option value={value}>{value} (not stored)</option>}
        <option value={NEW}>+ New credential</option>
      </select>
      {error && <span className="field-message">{error}</span>}
      {value && !stored && !creating && <span className="field-message" data-test="credential-missing">
        No stored credential is named “{value}”: choose one, or create it.</span>}
      {creating && <div className="credential-inline">
        <CredentialForm onCancel={() => setCreating(false)}
          onCreated={(c) => { forgetCredentials(); setCreating(false); onChange(c.name); }} /></div>}
    </>
  );
}
