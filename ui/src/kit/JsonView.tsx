// JSON as a tree that wraps long lines and folds objects and arrays: used wherever the UI prints JSON.
import { useState } from 'react';
import { entries, foldable, leaf, startsOpen, summary } from '../lib/jsonView';

/** A value as indented JSON; each object and array has a toggle (data-test "json-toggle") that folds it. */
export function JsonView({ value, test }: { value: unknown; test?: string }) {
  return <div className="json" data-test={test}><JsonNode value={value} depth={0} last /></div>;
}

function JsonNode({ name, value, depth, last }: { name?: string; value: unknown; depth: number; last: boolean }) {
  const comma = last ? '' : ',';
  const key = name === undefined ? null : <><span className="json-key">{JSON.stringify(name)}</span>: </>;
  const [open, setOpen] = useState(() => (foldable(value) ? startsOpen(value, depth) : false));
  if (!foldable(value)) {
    const { text, kind } = leaf(value);
    return <div className="json-line">{key}<span className={`json-${kind}`}>{text}</span>{comma}</div>;
  }
  const [begin, end] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const items = entries(value);
  if (items.length === 0) return <div className="json-line">{key}{begin}{end}{comma}</div>;
  const toggle = <button type="button" className="json-toggle" data-test="json-toggle" aria-expanded={open}
    aria-label={open ? 'Collapse' : 'Expand'} onClick={() => setOpen(!open)} />;
  if (!open) {
    return <div className="json-line">{toggle}{key}{begin}<button type="button" className="json-more" onClick={() => setOpen(true)}
      data-test="json-more">…</button>{end}{comma} <span className="json-count">{summary(value)}</span></div>;
  }
  return <>
    <div className="json-line">{toggle}{key}{begin}</div>
    <div className="json-children">{items.map(([n, v], i) => (
      <JsonNode key={n ?? i} name={n} value={v} depth={depth + 1} last={i === items.length - 1} />))}</div>
    <div className="json-line">{end}{comma}</div>
  </>;
}
