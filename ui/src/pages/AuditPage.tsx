import { useCallback, useEffect, useRef, useState } from 'react';
import { describe, get } from '../lib/api';
import { Button, ErrorNote, when } from '../kit/kit';

interface Entry { id: number; at: string; actor: string; action: string; object_type: string | null;
  object_id: string | null; detail: unknown; address: string | null }

/** Owners: who did what and when, newest first, filtered by actor and action, a page at a time. */
export function AuditPage() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Answers can come back out of order (one request per pause in typing): only the last request's answer is shown.
  const asked = useRef(0);
  const load = useCallback((before?: number) => {
    const query = new URLSearchParams({ limit: '50' });
    if (actor.trim()) query.set('actor', actor.trim());
    if (action.trim()) query.set('action', action.trim());
    if (before) query.set('before', String(before));
    const request = ++asked.current;
    get<{ entries: Entry[]; next_before: number | null }>(`/api/v1/audit?${query}`)
      .then((r) => {
        if (request !== asked.current) return;
        setEntries((old) => (before ? [...old, ...r.entries] : r.entries)); setNext(r.next_before); setError(null);
      })
      .catch((e) => { if (request === asked.current) setError(describe(e)); });
  }, [actor, action]);
  const filtered = Boolean(actor.trim() || action.trim());
  useEffect(() => {
    if (!filtered) { load(); return undefined; }
    const typing = setTimeout(() => load(), 250);   // one request once typing pauses, not one a key
    return () => clearTimeout(typing);
  }, [load, filtered]);
  return (
    <div className="page">
      <header className="page-head"><div><h1>Audit log</h1>
        <p className="muted">Every management change, sign-in and failed sign-in, with who, what and when.</p></div></header>
      <div className="audit-filters">
        <input placeholder="Actor (email or admin-token)" value={actor} onChange={(e) => setActor(e.target.value)} data-test="audit-actor" />
        <input placeholder="Action (flow.publish, key.create…)" value={action} onChange={(e) => setAction(e.target.value)} data-test="audit-action" />
      </div>
      <ErrorNote error={error} />
      <table className="table">
        <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Object</th><th>From</th></tr></thead>
        <tbody>{entries.map((e) => (
          <tr key={e.id} data-test="audit-row">
            <td title={e.at}>{when(e.at)}</td><td className="strong">{e.actor}</td><td className="mono">{e.action}</td>
            <td className="mono">{e.object_type ? `${e.object_type} ${e.object_id ?? ''}` : ''}
              {e.detail ? <span className="muted"> {JSON.stringify(e.detail)}</span> : null}</td>
            <td className="muted">{e.address ?? ''}</td>
          </tr>))}</tbody>
      </table>
      {next && <Button onClick={() => load(next)} data-test="audit-older">Older entries</Button>}
    </div>
  );
}
