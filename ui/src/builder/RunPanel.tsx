// Try the flow: a form from the start node's inputs, a test-run of the draft (nothing is published), and the result;
// the canvas shows each node's state live.
import { useEffect, useMemo, useState } from 'react';
import { describe } from '../lib/api';
import { declaredFields, defaultNode, nodesOfType } from '../lib/flowGraph';
import { browserStore, loadSamples, savedValue, saveSamples, typedInputs } from '../lib/samples';
import type { Texts } from '../lib/samples';
import type { Watched } from '../lib/watch';
import type { FlowDoc, JsonObject } from '../lib/types';
import { Badge, Button, ErrorNote, Field } from '../kit/kit';
import { MediaPreview } from './MediaPreview';
import { JsonView } from '../kit/JsonView';
import { inputLabel } from '../lib/labels';

export interface RunRequest { start: string; end: string; inputs: JsonObject }

/** A value as the panel shows it beside a sample: strings as they are, the rest as JSON. */
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function RunPanel({ flowId, doc, latest, watched, onRun, onClose, publishedOnly }: {
  flowId: number; doc: FlowDoc; unpublished: boolean; latest?: number | null; watched: Watched & { taskId: number | null };
  onRun: (r: RunRequest) => Promise<void>; onClose: () => void;
  /** issue 15: a role that may run but not build runs the published version (onRun executes it), never the draft. */
  publishedOnly?: boolean;
}) {
  const [start, setStart] = useState(() => defaultNode(doc, 'start') ?? '');
  const [end, setEnd] = useState(() => defaultNode(doc, 'end') ?? '');
  // a deleted start or end node: fall back to another one (or none), never keep running a node that is gone
  useEffect(() => { if (!nodesOfType(doc, 'start').includes(start)) setStart(defaultNode(doc, 'start') ?? ''); }, [doc, start]);
  useEffect(() => { if (!nodesOfType(doc, 'end').includes(end)) setEnd(defaultNode(doc, 'end') ?? ''); }, [doc, end]);
  const startNode = doc.nodes.find((n) => n.id === start && n.type === 'start');
  const fields = useMemo(() => (startNode ? declaredFields(startNode) : []), [startNode]);
  const saved = startNode?.settings?.data as JsonObject | undefined;
  const specs = (startNode?.settings?.inputs ?? {}) as Record<string, JsonObject>;
  const defaults: JsonObject = {};
  for (const [name, spec] of Object.entries(specs)) if (spec?.default !== undefined) defaults[name] = spec.default;
  // samples live in this browser only, never in the flow: an execute through the API does not see them
  const [texts, setTexts] = useState<Texts>(() => loadSamples(browserStore(), flowId, start));
  useEffect(() => setTexts(loadSamples(browserStore(), flowId, start)), [flowId, start]);
  const edit = (name: string, value: string) => {
    const next = { ...texts, [name]: value };
    setTexts(next);
    saveSamples(browserStore(), flowId, start, next);
  };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const text = (name: string) => texts[name] ?? '';
  const placeholder = (name: string) => {
    const fallback = savedValue(name, saved, defaults);
    if (fallback) return `${fallback.from === 'saved' ? 'saved value' : 'default'}: ${shown(fallback.value)}`;
    return specs[name]?.required === true ? 'required' : 'optional';
  };

  const run = async () => {
    const { inputs, errors } = typedInputs(fields, texts);
    if (errors.length > 0) { setError(errors.join('; ')); return; }
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
      {!startNode ? <p className="note note-warn small" data-test="run-no-start">Add a start node to run this flow.</p>
        : fields.length === 0 && <p className="muted small">The start node has no inputs.</p>}
      {startNode && ends.length === 0 && <p className="note note-warn small" data-test="run-no-end">Add an end node to run this flow.</p>}
      {fields.map(([name, type]) => (
        <Field key={name} label={<RunLabel name={name} spec={specs[name]} />} hint={type}>
          {type === 'boolean' ? <select value={text(name)} data-test={`run-input-${name}`} onChange={(e) => edit(name, e.target.value)}>
            <option value="">{placeholder(name)}</option><option>true</option><option>false</option></select>
            : type === 'object' || type === 'array' ? <textarea className="mono" rows={3} value={text(name)} data-test={`run-input-${name}`}
              placeholder={placeholder(name)} onChange={(e) => edit(name, e.target.value)} />
            : <input value={text(name)} data-test={`run-input-${name}`} inputMode={type === 'string' ? undefined : 'decimal'}
              placeholder={placeholder(name)} onChange={(e) => edit(name, e.target.value)} />}
        </Field>
      ))}
      {fields.length > 0 && <p className="muted small" data-test="samples-note">Samples stay in this browser, not in the flow:
        an execute that gives no value gets the input's default, or a 400 if it is required.</p>}
      {publishedOnly ? <p className="note note-info small" data-test="published-note">{latest
        ? `Runs the published version ${latest}, as a server key would; the canvas shows the draft, which may differ.`
        : 'Not published yet: an editor publishes the flow, then it can be run.'}</p>
        : <p className="note note-info small" data-test="draft-note">Runs the draft as saved, without publishing it
        {latest ? `: server keys still run the published version ${latest}` : ''}.
        The run is listed in Tasks as a draft; pinned outputs stand in for their nodes.</p>}
      <ErrorNote error={error} />
      <Button variant="primary" onClick={run} disabled={busy || !start || !end || (publishedOnly && !latest)} data-test="run">
        {busy ? 'Starting…' : publishedOnly ? `Run version ${latest ?? '—'}` : 'Run draft (no publish)'}</Button>
      {watched.taskId !== null && (
        <div className="run-result" data-test="run-result">
          <h4>Task <a href={`#/tasks/${watched.taskId}`} className="mono">#{watched.taskId}</a> {task && <Badge state={task.state} />}
            {task?.draft && <span className="badge badge-draft" data-test="run-draft">draft</span>}</h4>
          {task && task.status < 3 && Object.entries(watched.live).filter(([node]) => !steps.some((s) => s.node_id === node))
            .map(([node, live]) => (
              <div key={node} data-test={`run-live-${node}`}><div className="muted small">{node} is writing…</div>
                <pre className="code live-text" data-test="run-live">{live.text}</pre></div>))}
          {task?.status === 3 && <><div className="muted small">Result</div><JsonView value={task.result} test="run-output" />
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

/** An input's title, with its name small beside it when the two differ. */
function RunLabel({ name, spec }: { name: string; spec: unknown }) {
  const label = inputLabel(name, spec);
  return <span data-test={`run-label-${name}`}>{label.title}{label.name && <span className="field-name mono">{label.name}</span>}</span>;
}
