// One task: its status, the run's inputs and result, the graph with each node's state, and the steps as a timeline
// with their inputs, settings as run (after templating), outputs, attempts and errors.
import { useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { describe, get, post } from '../lib/api';
import { layout } from '../lib/flowGraph';
import { nodeRuns } from '../lib/runState';
import type { FlowDoc, NodeTypeInfo, Step, Task } from '../lib/types';
import { useTaskWatch } from '../lib/watch';
import { Badge, Button, ErrorNote, useToast, when } from '../kit/kit';
import { useCan } from '../lib/role';
import { JsonView } from '../kit/JsonView';
import { go } from '../router';
import { FlowCanvas } from '../builder/FlowCanvas';
import { MediaPreview } from '../builder/MediaPreview';

export default function TaskPage({ taskId }: { taskId: number }) {
  const watched = useTaskWatch(taskId);
  const { task, steps } = watched;
  const [doc, setDoc] = useState<FlowDoc | null>(null);
  const [types, setTypes] = useState<NodeTypeInfo[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    if (!task) return;
    get<{ document: FlowDoc }>(`/api/v1/flows/${task.flow_id}/versions/${task.flow_version}`)
      .then((v) => setDoc(layout(v.document))).catch(() => setDoc(null));
    get<{ node_types: NodeTypeInfo[] }>('/api/v1/node-types').then((r) => setTypes(r.node_types)).catch(() => {});
  }, [task?.flow_id, task?.flow_version]); // eslint-disable-line react-hooks/exhaustive-deps
  const runs = useMemo(() => (doc && task ? nodeRuns(doc, task, steps, watched.started) : undefined), [doc, task, steps, watched.started]);
  const t0 = task?.started_at ? Date.parse(task.started_at) : 0;
  // the run's inputs as the start node passed them on (defaults filled in, types coerced)
  const startStep = steps.find((s) => s.node_id === task?.start_node_id);
  const total = Math.max(1, ...steps.map((s) => (s.finished_at ? Date.parse(s.finished_at) - t0 : 0)));

  const toast = useToast();
  const canRun = useCan('run');   // issue 15: cancel and retry are a runner's; a viewer reads the task
  const control = async (action: 'cancel' | 'retry') => {
    try {
      const answer = await post<Task>(`/api/v1/task/${taskId}/${action}`);
      if (action === 'retry' && answer?.id && answer.id !== taskId) go(`/tasks/${answer.id}`);
      else toast(action === 'cancel' ? 'Cancelling the task' : 'Retrying');
    } catch (e) {
      toast(describe(e), 'error');
    }
  };

  if (watched.error && !task) return <div className="page"><ErrorNote error={watched.error} /></div>;
  if (!task) return <div className="loading">Loading task…</div>;
  return (
    <div className="page page-wide">
      <header className="page-head">
        <div><h1>Task <span className="mono">#{task.id}</span> <Badge state={task.state} /></h1>
          <p className="muted">Flow <a href={`#/flows/${task.flow_id}`}>#{task.flow_id}</a> {task.draft ? <span className="badge badge-draft" title="A test-run of the draft">draft</span> : <>version {task.flow_version}</>} · {task.start_node_id} → {task.end_node_id}
            {' '}· created {when(task.created_at)}{task.finished_at && task.started_at ? ` · took ${Date.parse(task.finished_at) - t0} ms` : ''}</p></div>
        <div className="actions">
          {canRun && task.status < 3 && <Button onClick={() => control('cancel')} data-test="task-cancel">Cancel task</Button>}
          {canRun && task.status === 4 && <Button variant="primary" onClick={() => control('retry')}
            title="A new task that reuses the finished steps and runs from the failed one">Retry from the failed step</Button>}
        </div>
      </header>
      {task.error && <div className="note note-error" data-test="task-error">{task.error.node_id ? <b>{task.error.node_id}: </b> : null}
        {task.error.message} <span className="muted small">({task.error.type})</span></div>}
      <div className="task-grid">
        <section className="task-graph" data-test="task-graph">
          {doc ? <ReactFlowProvider><FlowCanvas doc={doc} types={types} runs={runs} readOnly /></ReactFlowProvider>
            : <p className="muted">The flow version is not available.</p>}
        </section>
        <section className="task-side">
          <h3>Inputs</h3>
          {startStep ? <JsonView value={startStep.outputs} test="task-inputs" />
            : <p className="muted small" data-test="task-inputs">{task.status < 3 ? 'Not started yet.' : 'Not recorded.'}</p>}
          {task.status === 3 && <><h3>Result</h3><JsonView value={task.result} test="task-result" />
            <MediaPreview value={task.result} test="task-media" /></>}
          <h3>Steps</h3>
          {steps.length === 0 && <p className="muted">No step has finished yet.</p>}
          <ol className="timeline" data-test="timeline">{steps.map((s) => (
            <StepRow key={s.node_id} step={s} t0={t0} total={total} open={open === s.node_id}
              onToggle={() => setOpen(open === s.node_id ? null : s.node_id)} />))}</ol>
        </section>
      </div>
    </div>
  );
}

function StepRow({ step, t0, total, open, onToggle }: { step: Step; t0: number; total: number; open: boolean; onToggle: () => void }) {
  const start = step.started_at ? Date.parse(step.started_at) - t0 : 0;
  const end = step.finished_at ? Date.parse(step.finished_at) - t0 : start;
  return (
    <li className={`step step-${step.state}`}>
      <button type="button" className="step-head" onClick={onToggle} aria-expanded={open} data-test={`step-${step.node_id}`}>
        <Badge state={step.state} /><span className="mono strong">{step.node_id}</span><span className="muted">{step.type}</span>
        <span className="spacer" /><span className="muted">{step.duration_ms ?? end - start} ms{step.attempts.length > 1 ? ` · ${step.attempts.length} attempts` : ''}</span>
      </button>
      <div className="bar"><span style={{ left: `${(start / total) * 100}%`, width: `${Math.max(0.5, ((end - start) / total) * 100)}%` }} /></div>
      {open && <div className="step-body">
        {step.error && <div className="note note-error">{step.error.message} <span className="muted small">({step.error.type})</span></div>}
        <div className="io"><div><h5>Inputs</h5><JsonView value={step.inputs} test={`step-inputs-${step.node_id}`} /></div>
          {step.rendered_settings && <div><h5 title="The node's settings after templating: what the step actually used">Settings as run</h5>
            <JsonView value={step.rendered_settings} test={`step-settings-${step.node_id}`} /></div>}
          <div><h5>Outputs{step.port ? ` (port ${step.port})` : ''}</h5><JsonView value={step.outputs} test={`step-outputs-${step.node_id}`} />
          <MediaPreview value={step.outputs} test={`step-media-${step.node_id}`} /></div></div>
        {step.attempts.length > 0 && <><h5>Attempts</h5><ul className="attempts">{step.attempts.map((a) => (
          <li key={a.number}>#{a.number} {a.started_at ? new Date(a.started_at).toLocaleTimeString() : ''}
            {a.error ? <span className="error-text"> — {a.error.message} ({a.error.type})</span> : ' — ok'}</li>))}</ul></>}
      </div>}
    </li>
  );
}
