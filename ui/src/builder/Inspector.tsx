// The side panel for the selected node: what it is, its settings form (or its field editor), its run policy, its
// problems and its last run's output.
import type { ReactNode } from 'react';
import { PLACEHOLDER, typeInfo } from '../lib/catalogue';
import { handlesOf, updateNode, upstream } from '../lib/flowGraph';
import { allowedSettings, settingNames, withOverridable } from '../lib/overridable';
import type { NodeRun } from '../lib/runState';
import { referenceOptions } from '../lib/schemaForm';
import type { DocNode, FlowDoc, JsonObject, NodeTypeInfo } from '../lib/types';
import { Badge, Button, Field, pretty } from '../kit/kit';
import { JsonView } from '../kit/JsonView';
import { FieldsEditor } from './FieldsEditor';
import { SchemaForm } from './SchemaForm';

export function Inspector({ doc, types, nodeId, problems, run, readOnly, onChange, onDelete, children }: {
  doc: FlowDoc; types: NodeTypeInfo[]; nodeId: string; problems?: string[]; run?: NodeRun;
  /** issue 15: the settings are shown, every field disabled, no Delete (a role that may not build). */
  readOnly?: boolean;
  onChange: (d: FlowDoc, key: string) => void; onDelete: () => void;
  /** drafts: more sections at the end (the one-node test and pin). */
  children?: ReactNode;
}) {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const info = typeInfo(types, node.type);
  const change = (f: (n: DocNode) => DocNode, key: string) => onChange(updateNode(doc, nodeId, f), `${nodeId}.${key}`);
  const ups = upstream(doc, nodeId).map((id) => {
    const n = doc.nodes.find((x) => x.id === id)!;
    return [id, handlesOf(doc, n, typeInfo(types, n.type)).outputs.map(([f]) => f)] as [string, string[]];
  });
  const refs = referenceOptions(ups, handlesOf(doc, node, info).inputs.map(([f]) => f));
  const isFlowNode = node.type === 'start' || node.type === 'end';
  const placeholder = node.type === PLACEHOLDER;
  return (
    <div className="panel" data-test="inspector">
      <header className="panel-head">
        <div><h3>{info.title} <span className="mono muted">{node.id}</span></h3><p className="muted small">{info.description}</p></div>
        {!readOnly && <Button small variant="ghost" onClick={onDelete} title="Delete (Del)" data-test="inspector-delete">Delete</Button>}
      </header>
      {problems && problems.length > 0 && <div className="note note-error"><b>Problems</b>
        <ul className="problems">{problems.map((p) => <li key={p}>{p}</li>)}</ul></div>}
      {/* a disabled fieldset disables every field, select and button inside it, however deep (issue 15) */}
      <fieldset className="inspector-fields" disabled={readOnly} data-test="inspector-fields">
      <Field label="Label" hint="Shown on the canvas; the id stays what references use.">
        <input value={node.name ?? ''} onChange={(e) => change((n) => ({ ...n, name: e.target.value || undefined }), 'name')} />
      </Field>
      {placeholder ? <Placeholder node={node} />
        : isFlowNode ? <FieldsEditor doc={doc} nodeId={nodeId} onChange={onChange} />
        : <SchemaForm schema={info.settings_schema} value={(node.settings ?? {}) as JsonObject} references={refs}
            onChange={(settings, key) => change((n) => ({ ...n, settings }), `settings.${key}`)} />}
      {node.type === 'start' && <SavedValues node={node} onChange={(data) => change((n) => ({ ...n, settings: { ...(n.settings ?? {}), data } }), 'data')} />}
      {!isFlowNode && !placeholder && <details className="advanced"><summary>Time limit, retries, errors</summary>
        <Field label="Time limit (ms)" hint="Default 60000.">
          <input inputMode="numeric" value={node.timeout_ms ?? ''} onChange={(e) => change((n) => ({ ...n,
            timeout_ms: e.target.value ? Number(e.target.value) : undefined }), 'timeout')} /></Field>
        <Field label="Attempts" hint="1 to 20; retries wait backoff × factor^n.">
          <input inputMode="numeric" value={node.retry?.max_attempts ?? ''} onChange={(e) => change((n) => ({ ...n,
            retry: e.target.value ? { ...(n.retry ?? {}), max_attempts: Number(e.target.value) } : undefined }), 'retry')} /></Field>
        <Field label="On failure">
          <select value={node.on_error ?? 'fail'} onChange={(e) => change((n) => ({ ...n, on_error: e.target.value as 'fail' | 'continue' }), 'on_error')}>
            <option value="fail">fail the task</option><option value="continue">continue on the error port</option>
          </select></Field>
      </details>}
      {!isFlowNode && !placeholder && settingNames(info).length > 0 && <Overridable node={node} info={info}
        onChange={(name, allowed) => change((n) => withOverridable(n, info, name, allowed), `overridable.${name}`)} />}
      </fieldset>
      {run && <div className="run-output"><h4>Last run <Badge state={run.state} /> {run.ms !== undefined && <span className="muted">{run.ms} ms</span>}</h4>
        {run.error && <div className="note note-error">{run.error.message} <span className="muted small">({run.error.type})</span></div>}
        {run.outputs && <JsonView value={run.outputs} test="last-run-output" />}</div>}
      {children}
    </div>
  );
}

/** What a placeholder stands for and how to replace it, with the Scade node's settings as they came. */
function Placeholder({ node }: { node: DocNode }) {
  const s = (node.settings ?? {}) as JsonObject;
  const list = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.join(', ') : 'none');
  const suggestion = s.suggestion as JsonObject | undefined;
  return (
    <div data-test="placeholder-note">
      <div className="note note-warn"><b>Needs replacing.</b> This node came from the Scade processor{' '}
        <span className="mono">{String(s.processor ?? '?')}</span>, which {suggestion
          ? <>maps to a <span className="mono">{String(suggestion.type)}</span> node, a type this Weft does not have yet</>
          : <>Weft has no node for</>}. Publishing is refused while it is here. Add a node that does the same,
        connect it like this one (inputs: <span className="mono">{list(s.inputs)}</span>; outputs
        taken: <span className="mono">{list(s.outputs)}</span>), then delete this one.</div>
      {suggestion && <details className="advanced"><summary>Suggested {String(suggestion.type)} settings</summary>
        <pre className="code">{pretty(suggestion.settings)}</pre></details>}
      <details className="advanced" open><summary>Scade settings, as exported</summary>
        <pre className="code" data-test="scade-settings">{pretty(s.scade_settings ?? {})}</pre></details>
    </div>
  );
}

/** "Callers may override": which settings a run's node_settings may replace on this node. */
function Overridable({ node, info, onChange }: {
  node: DocNode; info: NodeTypeInfo; onChange: (name: string, allowed: boolean) => void;
}) {
  const allowed = allowedSettings(node, info);
  const locked = new Set(info.locked_settings ?? []);
  return (
    <details className="advanced" data-test="overridable"><summary>Callers may override</summary>
      <p className="muted small">Settings a run may replace through node_settings. Locked ones (run code, or choose
        where data and credentials go) stay closed unless you tick them.</p>
      <div className="check-list">{settingNames(info).map((name) => (
        <label key={name} className="check">
          <input type="checkbox" data-test={`overridable-${name}`} checked={allowed.has(name)}
            onChange={(e) => onChange(name, e.target.checked)} />
          <span className="mono">{name}</span>{locked.has(name) && <span className="muted small"> locked by default</span>}
        </label>
      ))}</div>
    </details>
  );
}

/**
 * The start node's saved values (settings.data): flows saved before the Run panel kept its samples apart hold them
 * here, and runs that give no value still use them, like a default. Shown only where there are some, each removable;
 * new inputs get a default in the input editor instead.
 */
function SavedValues({ node, onChange }: { node: DocNode; onChange: (data: JsonObject) => void }) {
  const data = (node.settings?.data ?? {}) as JsonObject;
  const inputs = Object.keys((node.settings?.inputs ?? {}) as JsonObject);
  const names = inputs.filter((name) => data[name] !== undefined && data[name] !== null);
  if (names.length === 0) return null;
  return (
    <div className="sample" data-test="saved-values"><h4>Saved values</h4>
      <p className="muted small">Runs that give no value use these, like a default (this flow was saved when the Run
        panel's samples were kept in the flow). Remove one to make a required input required again.</p>
      {names.map((name) => (
        <Field key={name} label={name}>
          <span className="saved-value"><code className="mono">{typeof data[name] === 'string' ? data[name] as string : JSON.stringify(data[name])}</code>
            <Button small variant="ghost" data-test={`saved-remove-${name}`} onClick={() => {
              const next = { ...data };
              delete next[name];
              onChange(next);
            }}>Remove</Button></span>
        </Field>
      ))}
    </div>
  );
}
