// The start node's input fields (name, type, uri format, required, default, title, order) or the end node's
// output fields (name, type, title).
import { useEffect, useState } from 'react';
import { FIELD_TYPES, fieldNameProblem, fieldRows, writeFields } from '../lib/fields';
import type { FieldRow } from '../lib/fields';
import type { FlowDoc, Json } from '../lib/types';
import { Button } from '../kit/kit';

export function FieldsEditor({ doc, nodeId, onChange }: { doc: FlowDoc; nodeId: string; onChange: (d: FlowDoc, key: string) => void }) {
  const node = doc.nodes.find((n) => n.id === nodeId)!;
  const isStart = node.type === 'start';
  const rows = fieldRows(doc, nodeId);
  const write = (next: FieldRow[], renames?: Map<string, string>, key = 'fields') => onChange(writeFields(doc, nodeId, next, renames), `${nodeId}.${key}`);
  const update = (i: number, change: Partial<FieldRow>) => write(rows.map((r, j) => (j === i ? { ...r, ...change } : r)), undefined, `field${i}`);
  const move = (i: number, by: number) => {
    const next = rows.slice();
    const [row] = next.splice(i, 1);
    next.splice(i + by, 0, row);
    write(next);
  };
  const add = () => {
    let n = rows.length + 1;
    while (rows.some((r) => r.name === `field_${n}`)) n++;
    write([...rows, { name: `field_${n}`, type: 'string' }]);
  };
  return (
    <div className="fields-editor">
      <h4>{isStart ? 'Inputs' : 'Outputs'}</h4>
      {rows.length === 0 && <p className="muted small">{isStart ? 'No inputs yet: a run starts with nothing.'
        : 'No outputs yet: connect a field to “+ input” or add one here.'}</p>}
      {rows.map((r, i) => (
        <div className="field-row" key={`${i}`} data-test={`field-row-${i}`}>
          <div className="field-row-main">
            <NameInput rows={rows} index={i} name={r.name} onRename={(name) => write(rows.map((x, j) => (j === i ? { ...x, name } : x)),
              new Map([[r.name, name]]), `name${i}`)} />
            <select value={r.type} onChange={(e) => update(i, { type: e.target.value, ...(e.target.value !== 'string' ? { format: undefined } : {}) })}
              aria-label="Type">{FIELD_TYPES.map((t) => <option key={t}>{t}</option>)}</select>
            {isStart && <>
              <button type="button" className="icon-btn" title="Move up" disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
              <button type="button" className="icon-btn" title="Move down" disabled={i === rows.length - 1} onClick={() => move(i, 1)}>↓</button>
            </>}
            <button type="button" className="icon-btn" title="Remove field" onClick={() => write(rows.filter((_, j) => j !== i))}>×</button>
          </div>
          <div className="field-row-more">
            <input placeholder="Title" value={r.title ?? ''} onChange={(e) => update(i, { title: e.target.value || undefined })} />
            {isStart && <>
              <label className="check"><input type="checkbox" checked={!!r.required} onChange={(e) => update(i, { required: e.target.checked })} />required</label>
              {r.type === 'string' && <label className="check"><input type="checkbox" checked={r.format === 'uri'}
                onChange={(e) => update(i, { format: e.target.checked ? 'uri' : undefined })} />URL (file, media)</label>}
              <DefaultInput value={r.default} onChange={(v) => update(i, { default: v })} />
            </>}
          </div>
        </div>
      ))}
      <Button small onClick={add} data-test="add-field">+ Add {isStart ? 'input' : 'output'}</Button>
    </div>
  );
}

function NameInput({ rows, index, name, onRename }: { rows: FieldRow[]; index: number; name: string; onRename: (n: string) => void }) {
  const [text, setText] = useState(name);
  useEffect(() => setText(name), [name]);
  const problem = text === name ? null : fieldNameProblem(rows, index, text);
  return (
    <span className="name-input">
      <input value={text} aria-label="Field name" className={problem ? 'invalid' : ''} title={problem ?? ''} data-test="field-name"
        onChange={(e) => {
          setText(e.target.value);
          if (!fieldNameProblem(rows, index, e.target.value)) onRename(e.target.value);
        }} />
    </span>
  );
}

function DefaultInput({ value, onChange }: { value: Json | undefined; onChange: (v: Json | undefined) => void }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value));
  return <input placeholder='Default (JSON, e.g. "Ada" or 3)' value={text} className="mono" onChange={(e) => {
    setText(e.target.value);
    if (e.target.value.trim() === '') onChange(undefined);
    else try { onChange(JSON.parse(e.target.value)); } catch { /* keep typing */ }
  }} />;
}
