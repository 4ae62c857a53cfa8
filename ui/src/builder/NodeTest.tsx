// drafts: the inspector's one-node test: "Run this node" on inputs prefilled from the last run (editable JSON),
// the result shown as a step, and "Pin output"/"Unpin": a pinned output stands in for the node in test-runs.
import { useEffect, useState } from 'react';
import { describe, post } from '../lib/api';
import { prefilledInputs } from '../lib/nodeTest';
import type { DocNode, FlowDoc, JsonObject, Pin, Step, Task } from '../lib/types';
import { useTaskWatch } from '../lib/watch';
import { Badge, Button, ErrorNote, pretty } from '../kit/kit';

export function NodeTest({ flowId, doc, node, lastSteps, flush, onPin }: {
  flowId: number; doc: FlowDoc; node: DocNode; lastSteps: Step[];
  flush: () => Promise<boolean>; onPin: (pin: Pin | undefined) => void;
}) {
  const ids = doc.nodes.map((n) => n.id);
  const [text, setText] = useState(() => pretty(prefilledInputs(node, ids, lastSteps)));
  const [taskId, setTaskId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const watched = useTaskWatch(taskId);
  // another node selected, or a new full run: start again from its inputs
  useEffect(() => { setText(pretty(prefilledInputs(node, ids, lastSteps))); setTaskId(null); setError(null); },
    [node.id, lastSteps]); // eslint-disable-line react-hooks/exhaustive-deps
  if (node.type === 'start' || node.type === 'end') return null;

  const run = async () => {
    let inputs: JsonObject;
    try {
      const parsed = JSON.parse(text || '{}');
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      inputs = parsed;
    } catch {
      setError('Inputs must be a JSON object: the input fields, and under a node\'s id that node\'s outputs.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (!(await flush())) throw new Error('The draft has problems: fix the nodes marked in red first.');
      const task = await post<Task>(`/api/v1/flows/${flowId}/test-runs`, { node: node.id, inputs });
      setTaskId(task.id);
    } catch (e) { setError(describe(e)); } finally { setBusy(false); }
  };
  const step = watched.steps.find((s) => s.node_id === node.id);
  const last = lastSteps.find((s) => s.node_id === node.id && s.state === 'done' && s.outputs);
  const pinnable = step && step.state === 'done' && step.outputs ? step : last;
  return (
    <div className="node-test" data-test="node-test">
      <h4>Test this node</h4>
      <p className="muted small">Runs only this node on these inputs (from the last run, editable); a reference to
        another node reads its outputs under its id. Nothing is published.</p>
      <textarea className="mono" rows={5} value={text} data-test="node-inputs" onChange={(e) => setText(e.target.value)} />
      <ErrorNote error={error} />
      <div className="node-test-actions">
        <Button small onClick={run} disabled={busy} data-test="run-node">{busy ? 'Starting…' : 'Run this node'}</Button>
        {node.pinned ? <Button small variant="ghost" onClick={() => onPin(undefined)} data-test="unpin">Unpin</Button>
          : pinnable && <Button small variant="ghost" data-test="pin-output" title="Test-runs use this output instead of running the node"
            onClick={() => onPin({ outputs: pinnable.outputs as JsonObject, port: pinnable.port ?? undefined })}>Pin output</Button>}
      </div>
      {taskId !== null && <div className="run-output" data-test="node-run">
        <h4>Node run <a href={`#/tasks/${taskId}`} className="mono">#{taskId}</a>{' '}
          {step ? <Badge state={step.state} /> : watched.task && <Badge state={watched.task.state} />}
          {step?.duration_ms !== undefined && <span className="muted"> {step.duration_ms} ms</span>}</h4>
        {step?.error && <div className="note note-error">{step.error.type}: {step.error.message}</div>}
        {!step && watched.task?.error && <div className="note note-error">{watched.task.error.message}</div>}
        {step?.outputs && <pre className="code" data-test="node-run-output">{pretty(step.outputs)}</pre>}
      </div>}
      {node.pinned && <div className="pinned-output" data-test="pinned-output"><h4>Pinned output
        {node.pinned.port && node.pinned.port !== 'success' ? ` (port ${node.pinned.port})` : ''}</h4>
        <p className="muted small">Test-runs of the draft use this instead of running the node; published versions ignore it.</p>
        <pre className="code">{pretty(node.pinned.outputs)}</pre></div>}
    </div>
  );
}
