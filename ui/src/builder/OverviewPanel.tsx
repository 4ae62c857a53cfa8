// With no node selected: the flow's name, which start and end nodes runs use by default, and its problems.
import { nodesOfType } from '../lib/flowGraph';
import type { FlowDoc } from '../lib/types';
import { Field } from '../kit/kit';

export function OverviewPanel({ doc, general, latest, onChange }:
  { doc: FlowDoc; general: string[]; latest: number | null; onChange: (d: FlowDoc, key: string) => void }) {
  const starts = nodesOfType(doc, 'start');
  const ends = nodesOfType(doc, 'end');
  return (
    <div className="panel" data-test="overview">
      <header className="panel-head"><h3>Overview</h3></header>
      <Field label="Flow name"><input value={doc.name ?? ''} onChange={(e) => onChange({ ...doc, name: e.target.value }, 'name')} /></Field>
      <Field label="Default start node" hint={starts.length > 1 ? 'Runs start here unless they name another.' : 'The flow\'s only start node.'}>
        <select value={doc.default_start_node_id ?? ''} disabled={starts.length < 2} data-test="default-start"
          onChange={(e) => onChange({ ...doc, default_start_node_id: e.target.value || undefined }, 'default_start')}>
          <option value="">{starts.length === 1 ? starts[0] : '— choose —'}</option>
          {starts.length > 1 && starts.map((s) => <option key={s}>{s}</option>)}
        </select></Field>
      <Field label="Default end node" hint={ends.length > 1 ? 'Runs end here, and its fields are the result.' : 'The flow\'s only end node.'}>
        <select value={doc.default_end_node_id ?? ''} disabled={ends.length < 2} data-test="default-end"
          onChange={(e) => onChange({ ...doc, default_end_node_id: e.target.value || undefined }, 'default_end')}>
          <option value="">{ends.length === 1 ? ends[0] : '— choose —'}</option>
          {ends.length > 1 && ends.map((s) => <option key={s}>{s}</option>)}
        </select></Field>
      <p className="muted small">{latest ? `Published: version ${latest}.` : 'Not published yet.'} {doc.nodes.length} nodes,
        {' '}{doc.edges.reduce((n, e) => n + e.fields_mapping.length, 0)} connections.</p>
      {general.length > 0 && <div className="note note-error"><b>Problems</b><ul className="problems">{general.map((p) => <li key={p}>{p}</li>)}</ul></div>}
      <div className="help small muted">
        <p><b>Build:</b> drag a node from the left, or click it. Connect an output field (right) to an input field (left);
          drop on <i>+ input</i> to make a new input named after the field.</p>
        <p><b>Keys:</b> Delete removes the selection; Ctrl+Z / Ctrl+Shift+Z undo and redo.</p>
      </div>
    </div>
  );
}
