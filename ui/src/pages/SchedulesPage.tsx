import { useCallback, useEffect, useState } from 'react';
import { del, describe, get, post, put } from '../lib/api';
import type { FlowSummary } from '../lib/types';
import { bodyOf, emptyForm, fireTime, formOf, zones } from '../lib/schedules';
import type { Schedule, ScheduleForm } from '../lib/schedules';
import { Button, Confirm, Dialog, Empty, ErrorNote, Field, useToast } from '../kit/kit';
import { useCan } from '../lib/role';

/** A flow's schedules (#/flows/3/schedules), or every flow's (#/schedules): list, add, edit, pause, delete. */
export function SchedulesPage({ flowId }: { flowId?: number }) {
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const toast = useToast();
  const canBuild = useCan('build');   // issue 15: others read the schedules
  const load = useCallback(() => get<{ schedules: Schedule[] }>(flowId ? `/api/v1/flows/${flowId}/schedules`
    : '/api/v1/schedules').then((r) => { setSchedules(r.schedules); setError(null); })
    .catch((e) => setError(describe(e))), [flowId]);
  useEffect(() => { load(); }, [load]);
  useEffect(() => { get<{ flows: FlowSummary[] }>('/api/v1/flows').then((r) => setFlows(r.flows)).catch(() => {}); }, []);
  const flowName = (id: number) => flows.find((f) => f.id === id)?.name ?? `Flow #${id}`;
  const toggle = (s: Schedule) => {
    const sent = bodyOf({ ...formOf(s), enabled: !s.enabled });
    if ('error' in sent) return;
    put(`/api/v1/flows/${s.flow_id}/schedules/${s.id}`, sent.body)
      .then(() => { toast(s.enabled ? 'Schedule paused' : 'Schedule resumed'); load(); })
      .catch((e) => toast(describe(e), 'error'));
  };

  return (
    <div className="page">
      <header className="page-head">
        <div><h1>{flowId ? `Schedules of ${flowName(flowId)}` : 'Schedules'}</h1>
          <p className="muted">Each schedule runs the flow’s latest published version at its cron times, once per
            tick however many Weft processes run.</p></div>
        {canBuild && <Button variant="primary" onClick={() => setEditing('new')} data-test="new-schedule">New schedule</Button>}
      </header>
      <ErrorNote error={error} />
      {schedules && schedules.length === 0 && <Empty title="No schedules">
        <p>{canBuild ? <>Add one with <b>New schedule</b>: a cron expression, a time zone and the start inputs.</>
          : 'An editor adds schedules.'}</p></Empty>}
      {schedules && schedules.length > 0 && <table className="table schedules-table">
        <thead><tr>{!flowId && <th>Flow</th>}<th>Cron</th><th>Zone</th><th>Next runs</th><th>Last tick</th>
          <th>Catch-up</th><th>On</th><th /></tr></thead>
        <tbody>{schedules.map((s) => (
          <tr key={s.id} data-test="schedule-row" className={s.enabled ? '' : 'muted'}>
            {!flowId && <td><a href={`#/flows/${s.flow_id}/schedules`}>{flowName(s.flow_id)}</a></td>}
            <td className="mono" data-test="schedule-cron">{s.cron}</td>
            <td>{s.zone}</td>
            <td data-test="schedule-next">{s.enabled ? <ul className="schedule-runs">
              {s.next_runs.slice(0, 3).map((r) => <li key={r}>{fireTime(r)}</li>)}</ul>
              : <span className="muted">paused</span>}</td>
            <td>{s.last_tick ? <a href={`#/tasks/${s.last_tick.task_id}`} data-test="schedule-last">
              {fireTime(s.last_tick.due_at)}</a> : <span className="muted">none yet</span>}</td>
            <td>{s.catch_up === 'all' ? `all (≤ ${s.catch_up_limit})` : s.catch_up}</td>
            <td><input type="checkbox" checked={s.enabled} onChange={() => toggle(s)} aria-label="Enabled"
              data-test="schedule-enabled" disabled={!canBuild} /></td>
            <td className="row-actions">{canBuild && <>
              <Button small variant="ghost" onClick={() => setEditing(s)} data-test="edit-schedule">Edit</Button>
              <Button small variant="ghost" onClick={() => setDeleting(s)} data-test="delete-schedule">Delete</Button></>}
            </td>
          </tr>))}
        </tbody>
      </table>}
      {editing && <ScheduleDialog schedule={editing === 'new' ? null : editing} flowId={flowId} flows={flows}
        onClose={() => setEditing(null)} onSaved={() => { setEditing(null); toast('Schedule saved'); load(); }} />}
      {deleting && <Confirm title="Delete schedule" action="Delete" onClose={() => setDeleting(null)}
        message={<>Delete the schedule “{deleting.cron}”? Tasks it started stay.</>}
        onConfirm={() => del(`/api/v1/flows/${deleting.flow_id}/schedules/${deleting.id}`)
          .then(() => { toast('Schedule deleted'); load(); })
          .catch((e) => toast(describe(e), 'error'))} />}
    </div>
  );
}

function ScheduleDialog({ schedule, flowId, flows, onClose, onSaved }: { schedule: Schedule | null; flowId?: number;
  flows: FlowSummary[]; onClose: () => void; onSaved: () => void }) {
  const [form, setForm] = useState<ScheduleForm>(() => schedule ? formOf(schedule)
    : emptyForm(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'));
  const [flow, setFlow] = useState<number | undefined>(schedule?.flow_id ?? flowId);
  const [preview, setPreview] = useState<{ runs: string[] } | { error: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (change: Partial<ScheduleForm>) => setForm((f) => ({ ...f, ...change }));
  useEffect(() => {
    // the server's own reading of the expression, a moment after typing stops
    const timer = window.setTimeout(() => {
      const query = new URLSearchParams({ cron: form.cron, zone: form.zone || 'UTC' });
      get<{ next_runs: string[] }>(`/api/v1/schedules/preview?${query}`)
        .then((r) => setPreview({ runs: r.next_runs })).catch((e) => setPreview({ error: describe(e) }));
    }, 250);
    return () => window.clearTimeout(timer);
  }, [form.cron, form.zone]);
  const save = async () => {
    const sent = bodyOf(form);
    if ('error' in sent) { setError(sent.error); return; }
    if (!flow) { setError('Choose the flow to run.'); return; }
    try {
      if (schedule) await put(`/api/v1/flows/${flow}/schedules/${schedule.id}`, sent.body);
      else await post(`/api/v1/flows/${flow}/schedules`, sent.body);
      onSaved();
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <Dialog title={schedule ? 'Edit schedule' : 'New schedule'} onClose={onClose} wide footer={<>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="primary" onClick={() => save()} data-test="save-schedule">Save schedule</Button></>}>
      {!flowId && !schedule && <Field label="Flow" hint="Its latest published version runs.">
        <select value={flow ?? ''} onChange={(e) => setFlow(Number(e.target.value) || undefined)} data-test="schedule-flow">
          <option value="">Choose a flow…</option>
          {flows.map((f) => <option key={f.id} value={f.id}>{f.name} #{f.id}</option>)}</select></Field>}
      <Field label="Cron expression" hint="5 fields (minute hour day month weekday), or 6 with seconds first.">
        <input className="mono" value={form.cron} onChange={(e) => set({ cron: e.target.value })} data-test="schedule-cron-input" />
      </Field>
      <Field label="Time zone">
        <input value={form.zone} list="schedule-zones" onChange={(e) => set({ zone: e.target.value })} data-test="schedule-zone" />
      </Field>
      <datalist id="schedule-zones">{zones().map((z) => <option key={z} value={z} />)}</datalist>
      <div className="schedule-preview" data-test="schedule-preview">
        {preview && 'runs' in preview && <><span className="field-label">Next runs</span>
          <ul className="schedule-runs">{preview.runs.map((r) => <li key={r}>{fireTime(r)}</li>)}</ul></>}
        {preview && 'error' in preview && <span className="field-message" data-test="schedule-preview-error">{preview.error}</span>}
      </div>
      <Field label="Start inputs (JSON)" hint="As the Run panel sends them, such as {&quot;name&quot;: &quot;Ada&quot;}.">
        <textarea className="mono" rows={4} value={form.inputs} onChange={(e) => set({ inputs: e.target.value })}
          data-test="schedule-inputs" /></Field>
      <Field label="Ticks missed while Weft was down" hint="A tick less than a minute late always runs.">
        <select value={form.catchUp} onChange={(e) => set({ catchUp: e.target.value as ScheduleForm['catchUp'] })}
          data-test="schedule-catch-up">
          <option value="skip">Skip them</option><option value="once">Run once for all of them</option>
          <option value="all">Run each, up to a limit</option></select></Field>
      {form.catchUp === 'all' && <Field label="Limit">
        <input type="number" min={1} max={1000} value={form.limit} onChange={(e) => set({ limit: e.target.value })} /></Field>}
      <label className="check"><input type="checkbox" checked={form.enabled}
        onChange={(e) => set({ enabled: e.target.checked })} data-test="schedule-enabled-input" />Enabled</label>
      <ErrorNote error={error} />
    </Dialog>
  );
}
