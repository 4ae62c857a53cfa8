// With no node selected: the flow's name, which start and end nodes runs use by default, and its problems.
import { nodesOfType } from '../lib/flowGraph';
import type { FlowDoc } from '../lib/types';
import { Field } from '../kit/kit';

/** The tool name the server derives from the flow's name when none is given (as McpToolSetting.slug does). */
export function toolName(flowName: string): string {
  return flowName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 128);
}

export function OverviewPanel({ doc, general, latest, onChange, readOnly }:
  { doc: FlowDoc; general: string[]; latest: number | null; onChange: (d: FlowDoc, key: string) => void; readOnly?: boolean }) {
  const starts = nodesOfType(doc, 'start');
  const ends = nodesOfType(doc, 'end');
  return (
    <div className="panel" data-test="overview">
      <header className="panel-head"><h3>Overview</h3></header>
      <fieldset className="inspector-fields" disabled={readOnly} data-test="overview-fields">
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
      <fieldset className="mcp-tool" data-test="mcp">
        <label className="check"><input type="checkbox" checked={doc.mcp_tool === true} data-test="mcp-tool"
          onChange={(e) => onChange({ ...doc, mcp_tool: e.target.checked }, 'mcp_tool')} /> Expose as MCP tool</label>
        {doc.mcp_tool === true && <>
          <Field label="Tool name" hint="Letters, digits, _ - . (up to 128). MCP clients call the tool by this name.">
            <input value={doc.mcp_name ?? ''} placeholder={toolName(doc.name ?? '')} data-test="mcp-name" maxLength={128}
              onChange={(e) => onChange({ ...doc, mcp_name: e.target.value || undefined }, 'mcp_name')} /></Field>
          <Field label="Tool description" hint="What the tool does and when to use it: the model reads this.">
            <textarea rows={3} value={doc.mcp_description ?? ''} data-test="mcp-description"
              onChange={(e) => onChange({ ...doc, mcp_description: e.target.value || undefined }, 'mcp_description')} /></Field>
          <p className="muted small">Once published, MCP clients with a server key reach it at <code>POST /mcp</code>;
            its arguments are the start node's inputs.</p>
        </>}
      </fieldset>
      </fieldset>
      <p className="muted small">{latest ? `Published: version ${latest}.` : 'Not published yet.'} {doc.nodes.length} nodes,
        {' '}{doc.edges.reduce((n, e) => n + e.fields_mapping.length, 0)} connections.</p>
      {latest && <p className="small"><a href={`#${window.location.hash.replace(/^#/, '').split('?')[0]}/versions`}
        data-test="open-versions">Versions: history, diff, restore</a></p>}
      {general.length > 0 && <div className="note note-error"><b>Problems</b><ul className="problems">{general.map((p) => <li key={p}>{p}</li>)}</ul></div>}
      {readOnly ? <div className="help small muted" data-test="overview-read-only"><p>Select a node to read its settings;
        drag the canvas to pan and scroll to zoom.</p></div>
        : <div className="help small muted">
        <p><b>Build:</b> drag a node from the left, or click it. Connect an output field (right) to an input field (left);
          drop on <i>+ input</i> to make a new input named after the field.</p>
        <p><b>Keys:</b> Delete removes the selection; Ctrl+Z / Ctrl+Shift+Z undo and redo.</p>
      </div>}
    </div>
  );
}
