import { useEffect, useState } from 'react';
import { describe, get } from '../lib/api';
import type { FlowSummary, Task } from '../lib/types';
import { Badge, Button, Empty, ErrorNote, when } from '../kit/kit';
import { go } from '../router';

const STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'];
export const PAGE_SIZE = 50;

export function TasksPage({ flowId }: { flowId?: number }) {
  const [state, setState] = useState('');
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = (before?: number) => {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (flowId) q.set('flow_id', String(flowId));
    if (state) q.set('state', state);
    if (before) q.set('before', String(before));
    return `/api/v1/tasks?${q}`;
  };
  useEffect(() => { get<{ flows: FlowSummary[] }>('/api/v1/flows').then((r) => setFlows(r.flows)).catch(() => {}); }, []);
  useEffect(() => {
    let live = true;
    const load = () => get<{ tasks: Task[] }>(query()).then((r) => {
      if (!live) return;
      setTasks(r.tasks);
      setMore(r.tasks.length === PAGE_SIZE);
    }).catch((e) => setError(describe(e)));
    load();
    const timer = setInterval(load, 3000);
    return () => { live = false; clearInterval(timer); };
  }, [flowId, state]); // eslint-disable-line react-hooks/exhaustive-deps
  const names = new Map(flows.map((f) => [f.id, f.name]));
  const loadMore = () => tasks && get<{ tasks: Task[] }>(query(tasks[tasks.length - 1].id))
    .then((r) => { setTasks([...tasks, ...r.tasks]); setMore(r.tasks.length === PAGE_SIZE); });
  return (
    <div className="page">
      <header className="page-head">
        <div><h1>Tasks</h1><p className="muted">Every run of every flow, newest first.</p></div>
        <div className="actions">
          <select value={flowId ?? ''} onChange={(e) => go(e.target.value ? `/tasks?flow=${e.target.value}` : '/tasks')} aria-label="Flow">
            <option value="">All flows</option>{flows.map((f) => <option key={f.id} value={f.id}>{f.name} (#{f.id})</option>)}</select>
          <select value={state} onChange={(e) => setState(e.target.value)} aria-label="Status">
            <option value="">Any status</option>{STATES.map((s) => <option key={s}>{s}</option>)}</select>
        </div>
      </header>
      <ErrorNote error={error} />
      {tasks && tasks.length === 0 && <Empty title="No tasks"><p>Runs appear here: from a flow's Run panel, or from your app through the API.</p></Empty>}
      {tasks && tasks.length > 0 && <table className="table clickable">
        <thead><tr><th>Task</th><th>Status</th><th>Flow</th><th>Version</th><th>Created</th><th>Took</th><th>Error</th></tr></thead>
        <tbody>{tasks.map((t) => (
          <tr key={t.id} onClick={() => go(`/tasks/${t.id}`)} data-test={`task-row-${t.id}`}>
            <td className="mono"><a href={`#/tasks/${t.id}`}>#{t.id}</a></td><td><Badge state={t.state} /></td>
            <td>{names.get(t.flow_id) ?? `#${t.flow_id}`}</td><td>{t.draft ? <span className="badge badge-draft" title="A test-run of the draft">draft</span> : `v${t.flow_version}`}</td><td>{when(t.created_at)}</td>
            <td>{t.finished_at && t.started_at ? `${Date.parse(t.finished_at) - Date.parse(t.started_at)} ms` : '—'}</td>
            <td className="muted ellipsis">{t.error?.message ?? ''}</td>
          </tr>))}</tbody>
      </table>}
      {more && <Button onClick={loadMore}>Load older tasks</Button>}
    </div>
  );
}
