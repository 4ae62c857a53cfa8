import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, del, describe, get, post, put } from '../lib/api';
import { PLACEHOLDER } from '../lib/catalogue';
import { blankFlow, fileName } from '../lib/newFlow';
import type { Flow, FlowSummary, ImportReport, Task } from '../lib/types';
import { Badge, Button, Confirm, Dialog, Empty, ErrorNote, Field, useToast, when } from '../kit/kit';
import { go } from '../router';
import { TemplateGallery } from './TemplatesPage';
import { useCan } from '../lib/role';

type Ask = { kind: 'new' } | { kind: 'rename'; flow: FlowSummary } | { kind: 'delete'; flow: FlowSummary }
  | { kind: 'import-error'; message: string; errors: string[] }
  | { kind: 'import-report'; flow: Flow; report: ImportReport };

export function FlowsPage() {
  const canBuild = useCan('build');   // issue 15: a viewer or runner sees no edit controls
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [lastRuns, setLastRuns] = useState<Map<number, Task>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [ask, setAsk] = useState<Ask | null>(null);
  const toast = useToast();
  const file = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      const [list, runs] = await Promise.all([get<{ flows: FlowSummary[] }>('/api/v1/flows'),
        get<{ tasks: Task[] }>('/api/v1/tasks?latest_per_flow=true').catch(() => ({ tasks: [] as Task[] }))]);
      setFlows(list.flows.sort((a, b) => b.updated_at.localeCompare(a.updated_at)));
      setLastRuns(new Map(runs.tasks.map((t) => [t.flow_id, t])));
    } catch (e) {
      setError(describe(e));
    }
  }, []);
  useEffect(() => { load(); }, [load]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      toast(done);
      await load();
    } catch (e) {
      toast(describe(e), 'error');
    }
  };
  const duplicate = (f: FlowSummary) => act(async () => {
    const flow = await get<Flow>(`/api/v1/flows/${f.id}`);
    await post('/api/v1/flows', { ...flow.document, name: `Copy of ${flow.name}` });
  }, `Duplicated “${f.name}”`);
  const exportFlow = async (f: FlowSummary) => {
    try {
      const flow = await get<Flow>(`/api/v1/flows/${f.id}`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([JSON.stringify(flow.document, null, 2)], { type: 'application/json' }));
      link.download = fileName(flow.name);
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (e) {
      toast(describe(e), 'error');
    }
  };
  const importFile = async (chosen: File | undefined) => {
    if (!chosen) return;
    let body: unknown;
    try {
      body = JSON.parse(await chosen.text());
    } catch (e) {
      setAsk({ kind: 'import-error', message: `${chosen.name} is not JSON: ${(e as Error).message}`, errors: [] });
      return;
    }
    try {
      const created = await post<Flow>('/api/v1/flows', body);
      toast(`Imported “${created.name}”`);
      // a Scade export: show what was mapped and what needs attention before opening it
      if (created.import) setAsk({ kind: 'import-report', flow: created, report: created.import });
      else go(`/flows/${created.id}`);
    } catch (e) {
      setAsk({ kind: 'import-error', message: `${chosen.name} could not be imported: ${e instanceof ApiError ? e.message : describe(e)}`,
        errors: e instanceof ApiError ? e.errors.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)) : [] });
    } finally {
      if (file.current) file.current.value = '';
    }
  };

  return (
    <div className="page">
      <header className="page-head">
        <div><h1>Flows</h1><p className="muted">Build a flow, try it, publish it, and call it from your app.</p></div>
        {canBuild && <div className="actions">
          <input ref={file} type="file" accept=".json,application/json" hidden data-test="import-file"
            onChange={(e) => importFile(e.target.files?.[0])} />
          <Button onClick={() => file.current?.click()}>Import…</Button>
          <Button onClick={() => go('/templates')} data-test="new-from-template">New from template</Button>
          <Button variant="primary" onClick={() => setAsk({ kind: 'new' })} data-test="new-flow">New flow</Button>
        </div>}
      </header>
      <ErrorNote error={error} />
      {flows && flows.length === 0 && !canBuild && <Empty title="No flows yet"><p>An editor makes the flows you will
        see here.</p></Empty>}
      {flows && flows.length === 0 && canBuild && <>
        <Empty title="No flows yet">
          <p>Start from one of the templates below, make an empty one with <b>New flow</b>, or import a Weft flow file
            or a Scade export.</p></Empty>
        <h2 className="templates-heading">Start from a template</h2>
        <TemplateGallery />
      </>}
      {flows && flows.length > 0 && (
        <table className="table">
          <thead><tr><th>Name</th><th>Id</th><th>Published</th><th>Last run</th><th>Edited</th><th /></tr></thead>
          <tbody>
            {flows.map((f) => {
              const run = lastRuns.get(f.id);
              return (
                <tr key={f.id} data-test={`flow-row-${f.id}`}>
                  <td><a href={`#/flows/${f.id}`} className="strong">{f.name}</a></td>
                  <td className="mono">{f.id}</td>
                  <td>{f.latest_version ? `v${f.latest_version}` : <span className="muted">draft only</span>}</td>
                  <td>{run ? <a href={`#/tasks/${run.id}`}><Badge state={run.state} /> {when(run.created_at)}</a>
                    : <span className="muted">never</span>}</td>
                  <td>{when(f.updated_at)}</td>
                  <td className="row-actions">{canBuild && <>
                    <Button small onClick={() => setAsk({ kind: 'rename', flow: f })}>Rename</Button>
                    <Button small onClick={() => duplicate(f)}>Duplicate</Button>
                    <Button small onClick={() => exportFlow(f)}>Export</Button>
                    <Button small variant="ghost" onClick={() => setAsk({ kind: 'delete', flow: f })}>Delete</Button></>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {ask?.kind === 'new' && <NameDialog title="New flow" action="Create" initial="" onClose={() => setAsk(null)}
        onSubmit={async (name) => {
          const created = await post<Flow>('/api/v1/flows', blankFlow(name));
          go(`/flows/${created.id}`);
        }} />}
      {ask?.kind === 'rename' && <NameDialog title="Rename flow" action="Rename" initial={ask.flow.name}
        onClose={() => setAsk(null)} onSubmit={async (name) => {
          const flow = await get<Flow>(`/api/v1/flows/${ask.flow.id}`);
          await put(`/api/v1/flows/${ask.flow.id}`, { ...flow.document, name });
          setAsk(null);
          await load();
        }} />}
      {ask?.kind === 'delete' && <Confirm title="Delete flow" action="Delete"
        message={<>Delete “{ask.flow.name}”? Its published versions stay only for tasks already accepted; the flow
          disappears from the API and this list.</>}
        onClose={() => setAsk(null)}
        onConfirm={() => act(() => del(`/api/v1/flows/${ask.flow.id}`), `Deleted “${ask.flow.name}”`)} />}
      {ask?.kind === 'import-report' && <ImportReportDialog flow={ask.flow} report={ask.report}
        onClose={() => { setAsk(null); load(); }} onOpen={() => go(`/flows/${ask.flow.id}`)} />}
      {ask?.kind === 'import-error' && <Dialog title="Import failed" onClose={() => setAsk(null)}
        footer={<Button variant="primary" onClick={() => setAsk(null)}>OK</Button>}>
        <p>{ask.message}</p>
        {ask.errors.length > 0 && <ul className="problems">{ask.errors.map((e) => <li key={e}>{e}</li>)}</ul>}
      </Dialog>}
    </div>
  );
}

/** The answer to importing a Scade export: the nodes mapped to Weft nodes, and the ones to look at. */
function ImportReportDialog({ flow, report, onClose, onOpen }:
  { flow: Flow; report: ImportReport; onClose: () => void; onOpen: () => void }) {
  const name = (id: string) => flow.document.nodes.find((n) => n.id === id)?.name ?? id;
  const placeholders = flow.document.nodes.filter((n) => n.type === PLACEHOLDER).length;
  return (
    <Dialog title={`Imported “${flow.name}” from Scade`} wide onClose={onClose} footer={<>
      <Button onClick={onClose}>Close</Button>
      <Button variant="primary" onClick={onOpen} data-test="import-open">Open in builder</Button></>}>
      <div className="import-report" data-test="import-report">
        <p>{flow.document.nodes.length} nodes and {flow.document.edges.length} edges came over. {placeholders > 0
          ? `${placeholders} ${placeholders === 1 ? 'node needs' : 'nodes need'} replacing before the flow can be published (marked in the builder).`
          : report.needs_attention.length > 0 ? 'Look at the nodes below before running it.' : 'Nothing needs attention.'}</p>
        <h4>Mapped ({report.mapped.length})</h4>
        {report.mapped.length === 0 ? <p className="muted small">No processing node had a Weft equivalent.</p>
          : <ul data-test="import-mapped">{report.mapped.map((m) => <li key={m.node_id}>
            <b>{name(m.node_id)}</b> <span className="mono muted">{m.node_id}</span>: <span className="mono">{m.processor}</span>
            {' → '}<span className="mono">{m.type}</span></li>)}</ul>}
        <h4>Needs attention ({report.needs_attention.length})</h4>
        {report.needs_attention.length === 0 ? <p className="muted small">Nothing.</p>
          : <ul data-test="import-attention">{report.needs_attention.map((a, i) => <li key={`${a.node_id}-${i}`}>
            <b>{name(a.node_id)}</b> <span className="mono muted">{a.node_id}</span> (<span className="mono">{a.processor}</span>): {a.reason}</li>)}</ul>}
      </div>
    </Dialog>
  );
}

function NameDialog({ title, action, initial, onClose, onSubmit }:
  { title: string; action: string; initial: string; onClose: () => void; onSubmit: (name: string) => Promise<void> }) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    if (!name.trim()) { setError('A flow needs a name.'); return; }
    try {
      await onSubmit(name.trim());
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <Dialog title={title} onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={() => submit()} data-test="name-submit">{action}</Button></>}>
      <form onSubmit={submit}>
        <Field label="Name"><input value={name} onChange={(e) => setName(e.target.value)} data-test="name-input" /></Field>
        <ErrorNote error={error} />
      </form>
    </Dialog>
  );
}
