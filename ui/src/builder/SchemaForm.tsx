// A settings form generated from a node's settings schema. Each input keeps the text being typed; a value that
// does not parse shows its error and is not written into the document until it does.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { LANGUAGES, displayValue, formFields, insertIndent, parseValue } from '../lib/schemaForm';
import type { FormField } from '../lib/schemaForm';
import type { Json, JsonObject, Schema } from '../lib/types';
import { CredentialPicker } from './CredentialPicker';

export function SchemaForm({ schema, value, onChange, references, path = '' }: {
  schema: Schema; value: JsonObject; onChange: (next: JsonObject, key: string) => void; references: string[]; path?: string;
}) {
  const fields = formFields(schema);
  if (fields.length === 0) return <p className="muted small">This node has no settings.</p>;
  const set = (key: string, v: Json | undefined) => {
    const next = { ...value };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next, path + key);
  };
  return <div className="form">{fields.map((f) => (
    <SettingInput key={f.key} field={f} value={value[f.key]} onChange={(v) => set(f.key, v)} references={references}
      path={`${path}${f.key}.`} />
  ))}</div>;
}

function SettingInput({ field, value, onChange, references, path }: {
  field: FormField; value: Json | undefined; onChange: (v: Json | undefined) => void; references: string[]; path: string;
}) {
  const [text, setText] = useState(() => displayValue(field, value));
  const [error, setError] = useState<string | null>(null);
  // Where a key handler rewrote the text, the caret it leaves, put back as soon as React has written that text:
  // before the next key is handled, so fast typing after a Tab lands after the indent (a frame later it did not).
  const area = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caret.current === null || !area.current) return;
    area.current.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [text]);
  useEffect(() => {
    // Follow the document (undo, another field's change) unless the text on screen already means this value.
    const parsed = parseValue(field, text);
    if (!('value' in parsed) || JSON.stringify(parsed.value) !== JSON.stringify(value)) {
      setText(displayValue(field, value));
      setError(null);
    }
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps
  const edit = (next: string) => {
    setText(next);
    const parsed = parseValue(field, next);
    if ('error' in parsed) setError(parsed.error);
    else { setError(null); onChange(parsed.value); }
  };
  const label = `${field.title}${field.required ? ' *' : ''}`;
  const hint = field.defaultValue !== undefined ? `${field.description ?? ''} Default: ${JSON.stringify(field.defaultValue)}`.trim()
    : field.description;
  if (field.kind === 'group') {
    const inner = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    return (
      <fieldset className="group"><legend>{label}</legend>
        <SchemaForm schema={field.schema ?? {}} value={inner}
          onChange={(next) => onChange(Object.keys(next).length ? next : undefined)} references={references} path={path} />
      </fieldset>
    );
  }
  let input;
  if (field.kind === 'boolean') {
    const checked = value === undefined ? field.defaultValue === true : value === true;
    input = <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-test={`setting-${field.key}`} />;
  } else if (field.kind === 'select') {
    input = (
      <select value={typeof value === 'string' ? value : ''} onChange={(e) => edit(e.target.value)} data-test={`setting-${field.key}`}>
        {!field.required && <option value="">{field.defaultValue !== undefined ? `default (${field.defaultValue})` : '—'}</option>}
        {field.options!.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else if (field.kind === 'number' || field.kind === 'integer') {
    input = <input inputMode="decimal" value={text} min={field.min} max={field.max} onChange={(e) => edit(e.target.value)} data-test={`setting-${field.key}`} />;
  } else if (field.kind === 'credential') {
    input = <CredentialPicker value={typeof value === 'string' ? value : ''} required={field.required}
      onChange={(v) => onChange(v === '' ? undefined : v)} testId={`setting-${field.key}`} />;
  } else if (field.kind === 'text') {
    input = <input value={text} onChange={(e) => edit(e.target.value)} data-test={`setting-${field.key}`} />;
  } else {
    const indent = field.language ? LANGUAGES[field.language]?.indent : undefined;
    // Where indentation is syntax (Python), Tab indents instead of leaving the field; Shift+Tab still leaves.
    const onKeyDown = indent ? (e: KeyboardEvent<HTMLTextAreaElement>) => {
      if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
      e.preventDefault();
      const target = e.currentTarget;
      const next = insertIndent(target.value, target.selectionStart, target.selectionEnd, indent);
      caret.current = next.caret;
      edit(next.text);
    } : undefined;
    input = <textarea className={field.kind === 'template' ? '' : 'mono'} rows={field.kind === 'template' ? 3 : 6}
      spellCheck={false} value={text} onChange={(e) => edit(e.target.value)} onKeyDown={onKeyDown} ref={area}
      data-language={field.language} data-test={`setting-${field.key}`} />;
  }
  // the credential picker holds a whole create form: a <label> would send its clicks to the select
  const Wrapper = field.kind === 'credential' ? 'div' : 'label';
  return (
    <Wrapper className={`field${error ? ' field-error' : ''}`} data-kind={field.kind}>
      <span className="field-label">{label}{field.language && LANGUAGES[field.language] &&
        <span className="field-language" data-test={`language-${field.key}`}>{LANGUAGES[field.language].name}</span>}</span>
      {input}
      {field.kind === 'template' && references.length > 0 && (
        <span className="refs">{references.slice(0, 12).map((r) => (
          <button type="button" key={r} className="chip" title="Insert this reference" onClick={() => edit(text + r)}>{r}</button>
        ))}</span>
      )}
      {error ? <span className="field-message">{field.title} {error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </Wrapper>
  );
}
