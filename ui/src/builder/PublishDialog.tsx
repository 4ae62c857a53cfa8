// Publish: the draft becomes the next immutable version (unless it already is the latest), then ready code to run it.
import { useState } from 'react';
import { defaultNode, declaredFields } from '../lib/flowGraph';
import { browserStore, loadSamples, typedInputs } from '../lib/samples';
import { sampleInputs, SNIPPETS } from '../lib/snippets';
import type { FlowDoc, JsonObject } from '../lib/types';
import { CopyButton, Dialog, Button } from '../kit/kit';

export function PublishDialog({ flowId, doc, version, fresh, onClose }:
  { flowId: number; doc: FlowDoc; version: number; fresh: boolean; onClose: () => void }) {
  const [tab, setTab] = useState(SNIPPETS[0].id);
  const start = defaultNode(doc, 'start') ?? 'start';
  const end = defaultNode(doc, 'end') ?? 'end';
  const startNode = doc.nodes.find((n) => n.id === start);
  const defaults: JsonObject = {};
  const inputs = (startNode?.settings?.inputs ?? {}) as Record<string, JsonObject>;
  for (const [name, spec] of Object.entries(inputs)) if (spec.default !== undefined) defaults[name] = spec.default;
  const fields = startNode ? declaredFields(startNode) : [];
  // the snippet shows the Run panel's samples (kept in this browser) where there are some
  const samples = typedInputs(fields, loadSamples(browserStore(), flowId, start)).inputs;
  const input = { baseUrl: window.location.origin, flowId, startNodeId: start, endNodeId: end, resultNodeId: end,
    inputs: sampleInputs(fields, { ...((startNode?.settings?.data ?? {}) as JsonObject), ...samples }, defaults) };
  const snippet = SNIPPETS.find((s) => s.id === tab)!;
  const code = snippet.make(input);
  return (
    <Dialog title={fresh ? `Published version ${version}` : `Version ${version} is up to date`} onClose={onClose} wide
      footer={<Button variant="primary" onClick={onClose} data-test="publish-done">Done</Button>}>
      <p className="muted">{fresh ? 'The draft is now an immutable version; execute runs it until the next publish.'
        : 'The draft has not changed since this version.'} Call it with a server key from <a href="#/keys" onClick={onClose}>API keys</a>
        {' '}in place of <code>YOUR_SERVER_KEY</code>.</p>
      <div className="ids"><span>flow <b className="mono">{flowId}</b></span><span>version <b className="mono">{version}</b></span>
        <span>start <b className="mono">{start}</b></span><span>end / result <b className="mono">{end}</b></span></div>
      <div className="tabs" role="tablist">{SNIPPETS.map((s) => (
        <button type="button" role="tab" key={s.id} aria-selected={s.id === tab} className={s.id === tab ? 'tab active' : 'tab'}
          data-test={`snippet-tab-${s.id}`} onClick={() => setTab(s.id)}>{s.title}</button>))}</div>
      <div className="snippet">
        <div className="snippet-copy"><CopyButton text={code} testId={`copy-${snippet.id}`} /></div>
        <pre className="code" data-test={`snippet-${snippet.id}`}>{code}</pre>
      </div>
      <p className="muted small" data-test="snippet-run">Save it and run <code>{snippet.run}</code>: it starts a task, polls it
        until it finishes and prints it (its <code>result</code> holds the answer).</p>
    </Dialog>
  );
}
