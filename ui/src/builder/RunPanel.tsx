// Try the flow: a form from the start node's inputs, a run, and the result; the canvas shows each node's state live.
import { useMemo, useState } from 'react';
import { describe } from '../lib/api';
import { declaredFields, defaultNode, nodesOfType } from '../lib/flowGraph';
import type { Watched } from '../lib/watch';
import type { FlowDoc, Json, JsonObject } from '../lib/types';
import { Badge, Button, ErrorNote, Field, pretty } from '../kit/kit';
import { MediaPreview } from './MediaPreview';

export interface RunRequest { start: string; end: string; inputs: JsonObject }

export function RunPanel({ doc, unpublished, watched, onRun, onClose }: {
  doc: FlowDoc; unpublished: boolean; watched: Watched & { taskId: number | null };
  onRun: (r: RunRequest) => Promise<void>; onClose: () => void;
}) {
  const [start, setStart] = useState(() => defaultNode(doc, 'start') ?? '');
  const [end, setEnd] = useState(() => defaultNode(doc, 'end') ?? '');
  const startNode = doc.nodes.find((n) => n.id === start);
  const fields = useMemo(() => (startNode ? declaredFields(startNode) : []), [startNode]);
  const saved = (startNode?.settings?.data ?? {}) as JsonObject;
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const text = (name: string) => texts[name] ?? (saved[name] === undefined ? '' : typeof saved[name] === 'string' ? saved[name] as string : JSON.stringify(saved[name]));

  const run = async () => {
    const inputs: JsonObject = {};
    for (const [name, type] of fields) {
      const raw = text(name);
      if (raw === '' && type !== 'string') continue;
      if (type === 'string') inputs[name] = raw;
      else if (type === 'boolean') inputs[name] = raw === 'true';
      else {
        try { inputs[name] = JSON.parse(raw) as Json; } catch { setError(`${name}: not a valid ${type}`); return; }
      }
    }
    setBusy(true);
    setError(null);
    try { await onRun({ start, end, inputs }); } catch (e) { setError(describe(e)); } finally { setBusy(false); }
  };
  const { task, steps } = watched;
  const starts = nodesOfType(doc, 'start');
  const ends = nodesOfType(doc, 'end');
  return (
    <div className="panel" data-test="run-panel">
      <header className="panel-head"><h3>Run</h3><button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>×</button></header>
      {starts.length > 1 && <Field label="Start at"><select value={start} onChange={(e) => setStart(e.target.value)}>
        {starts.map((s) => <option key={s}>{s}</option>)}</select></Field>}
      {ends.length > 1 && <Field label="End at"><select value={end} onChange={(e) => setEnd(e.target.value)}>
        {ends.map((s) => <option key={s}>{s}</option>)}</select></Field>}
      {fields.length === 0 && <p className="muted small">The start node has no inputs.</p>}
      {fields.map(([name, type]) => (
        <Field key={name} label={`${name}`} hint={type}>
          {type === 'boolean' ? <select value={text(name) || 'false'} onChange={(e) => setTexts({ ...texts, [name]: e.target.value })}>
            <option>true</option><option>false</option></select>
            : type === 'object' || type === 'array' ? <textarea className="mono" rows={3} value={text(name)} data-test={`run-input-${name}`}
              onChange={(e) => setTexts({ ...texts, [name]: e.target.value })} />
            : <input value={text(name)} data-test={`run-input-${name}`} inputMode={type === 'string' ? undefined : 'decimal'}
              onChange={(e) => setTexts({ ...texts, [name]: e.target.value })} />}
        </Field>
      ))}
      {unpublished && <p className="note note-info small">Runs go through the run API, which runs published versions:
        running publishes your draft as the next version first.</p>}
      <ErrorNote error={error} />
      <Button variant="primary" onClick={run} disabled={busy || !start || !end} data-test="run">{busy ? 'Starting…'
        : unpublished ? 'Publish and run' : 'Run'}</Button>
      {watched.taskId !== null && (
        <div className="run-result" data-test="run-result">
          <h4>Task <a href={`#/tasks/${watched.taskId}`} className="mono">#{watched.taskId}</a> {task && <Badge state={task.state} />}</h4>
          {task && task.status < 3 && Object.entries(watched.live).filter(([node]) => !steps.some((s) => s.node_id === node))
            .map(([node, live]) => (
              <div key={node} data-test={`run-live-${node}`}><div className="muted small">{node} is writing…</div>
                <pre className="code live-text" data-test="run-live">{live.text}</pre></div>))}
          {task?.status === 3 && <><div className="muted small">Result</div><pre className="code" data-test="run-output">{pretty(task.result)}</pre>
            <MediaPreview value={task.result} test="run-media" /></>}
          {task?.error && <div className="note note-error">{task.error.node_id ? `${task.error.node_id}: ` : ''}{task.error.message}</div>}
          {steps.length > 0 && <ul className="step-list">{steps.map((s) => (
            <li key={s.node_id}><Badge state={s.state} /> <span className="mono">{s.node_id}</span>
              <span className="muted"> {s.duration_ms ?? ''}{s.duration_ms !== undefined ? ' ms' : ''}</span></li>))}</ul>}
        </div>
      )}
    </div>
  );
}
