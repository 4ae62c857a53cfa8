// A flow's published versions: who published each and when, a diff against the draft or another version,
// "Restore as draft", and the execute call that pins a version.
import { useCallback, useEffect, useState } from 'react';
import { describe, get, post } from '../lib/api';
import type { Flow, FlowDoc, Json, JsonObject } from '../lib/types';
import { pinnedCurl, shown, summaryLine } from '../lib/versionDiff';
import type { Change, DiffEdge, VersionDiff, VersionInfo } from '../lib/versionDiff';
import { Button, Confirm, CopyButton, Empty, ErrorNote, useToast, when } from '../kit/kit';
import { useCan } from '../lib/role';

export function VersionsPage({ flowId }: { flowId: number }) {
  const [flow, setFlow] = useState<Flow | null>(null);
  const [versions, setVersions] = useState<VersionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [against, setAgainst] = useState<string>('draft');
  const [diff, setDiff] = useState<VersionDiff | null>(null);
  const [pinned, setPinned] = useState<FlowDoc | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const toast = useToast();
  const canBuild = useCan('build');   // issue 15: restoring a version is building

  const load = useCallback(() => Promise.all([get<Flow>(`/api/v1/flows/${flowId}`),
    get<{ versions: VersionInfo[] }>(`/api/v1/flows/${flowId}/versions`)])
    .then(([f, v]) => {
      setFlow(f);
      setVersions([...v.versions].reverse());
      setVersion((old) => old ?? (v.versions.length ? v.versions[v.versions.length - 1].version : null));
    }).catch((e) => setError(describe(e))), [flowId]);
  useEffect(() => { load(); }, [load]);

  const refreshDiff = useCallback(() => {
    if (version === null) return;
    get<VersionDiff>(`/api/v1/flows/${flowId}/versions/${version}/diff?against=${encodeURIComponent(against)}`)
      .then((d) => { setDiff(d); setError(null); }).catch((e) => setError(describe(e)));
    get<{ document: FlowDoc }>(`/api/v1/flows/${flowId}/versions/${version}`).then((v) => setPinned(v.document)).catch(() => {});
  }, [flowId, version, against]);
  useEffect(() => { refreshDiff(); }, [refreshDiff, flow]);

  const restore = (n: number) => post<Flow>(`/api/v1/flows/${flowId}/versions/${n}/restore`)
    .then(() => { toast(`Version ${n} is now the draft; publish it to make it what execute runs`); load(); })
    .catch((e) => setError(describe(e)));

  return (
    <div className="page" data-test="versions-page">
      <header className="page-head">
        <div><h1>Versions{flow ? ` of ${flow.name}` : ''}</h1>
          <p className="muted">Published versions never change: execute runs the latest unless a call pins one.</p></div>
        <div className="actions"><a href={`#/flows/${flowId}`} className="btn btn-secondary" data-test="open-builder">Open the builder</a></div>
      </header>
      <ErrorNote error={error} />
      {versions && versions.length === 0 && <Empty title="Not published yet"><p>Publish the flow in the builder to make version 1.</p></Empty>}
      {versions && versions.length > 0 && (
        <table className="table" data-test="version-table">
          <thead><tr><th>Version</th><th>Published</th><th>By</th><th /></tr></thead>
          <tbody>{versions.map((v) => (
            <tr key={v.version} data-test="version-row" data-version={v.version} className={v.version === version ? 'selected' : ''}>
              <td className="strong">v{v.version}{flow?.latest_version === v.version && <span className="badge badge-done version-latest">latest</span>}</td>
              <td title={new Date(v.created_at).toLocaleString()}>{when(v.created_at)}</td>
              <td data-test="version-by">{v.published_by ?? <span className="muted">not recorded</span>}</td>
              <td className="row-actions">
                <Button small onClick={() => { setVersion(v.version); setAgainst('draft'); }} data-test="diff-version">Diff with draft</Button>
                {canBuild && <Button small onClick={() => setRestoring(v.version)} data-test="restore-version">Restore as draft</Button>}
              </td>
            </tr>))}
          </tbody>
        </table>)}
      {version !== null && versions && versions.length > 0 && <>
        <h2 className="section">Compare</h2>
        <div className="actions version-compare">
          <span>Version</span>
          <select value={version} data-test="diff-version-select" onChange={(e) => {
            const next = Number(e.target.value);
            setVersion(next);
            if (String(next) === against) setAgainst('draft');   // a version against itself is no comparison
          }}>
            {versions.map((v) => <option key={v.version} value={v.version}>v{v.version}</option>)}</select>
          <span>against</span>
          <select value={against} onChange={(e) => setAgainst(e.target.value)} data-test="diff-against">
            <option value="draft">the draft</option>
            {versions.filter((v) => v.version !== version).map((v) => <option key={v.version} value={String(v.version)}>v{v.version}</option>)}
          </select>
        </div>
        {diff && diff.version === version && <DiffView diff={diff} />}
        {pinned && <PinBox flowId={flowId} version={version} doc={pinned} />}
      </>}
      {restoring !== null && <Confirm title={`Restore version ${restoring}`} action="Restore as draft" onClose={() => setRestoring(null)}
        message={<>Version {restoring}'s nodes and settings replace the draft. Published versions stay as they are, and
          execute keeps running v{flow?.latest_version} until you publish.</>}
        onConfirm={() => restore(restoring)} />}
    </div>
  );
}

function DiffView({ diff }: { diff: VersionDiff }) {
  const side = diff.against === 'draft' ? 'the draft' : `v${diff.against}`;
  return (
    <div className="diff" data-test="diff">
      <p className="diff-summary" data-test="diff-summary">v{diff.version} against {side}: {summaryLine(diff)}</p>
      {diff.nodes.added.map((n) => <div className="diff-node diff-added" key={n.id} data-test="diff-added">
        <b>+ {n.id}</b> <span className="muted">{n.type}</span> <span className="muted small">in v{diff.version}, not in {side}</span></div>)}
      {diff.nodes.removed.map((n) => <div className="diff-node diff-removed" key={n.id} data-test="diff-removed">
        <b>− {n.id}</b> <span className="muted">{n.type}</span> <span className="muted small">in {side}, not in v{diff.version}</span></div>)}
      {diff.nodes.changed.map((n) => (
        <div className="diff-node diff-changed" key={n.id} data-test="diff-changed" data-node={n.id}>
          <b>~ {n.id}</b> <span className="muted">{n.type}</span>
          {(n.settings.length > 0 || n.fields.length > 0) && <ChangeTable changes={[...n.settings.map((c) => ({ ...c, path: `settings.${c.path}` })), ...n.fields]} side={side} version={diff.version} />}
          <EdgeList added={n.edges_added} removed={n.edges_removed} />
        </div>))}
      {diff.flow.length > 0 && <div className="diff-node diff-changed"><b>Flow settings</b><ChangeTable changes={diff.flow} side={side} version={diff.version} /></div>}
    </div>
  );
}

function ChangeTable({ changes, side, version }: { changes: Change[]; side: string; version: number }) {
  return (
    <table className="diff-table"><thead><tr><th>Setting</th><th>{side}</th><th>v{version}</th></tr></thead>
      <tbody>{changes.map((c) => (
        <tr key={c.path} data-test="diff-setting"><td className="mono">{c.path}</td>
          <td className="diff-before mono">{shown(c.before as Json | undefined)}</td>
          <td className="diff-after mono">{shown(c.after as Json | undefined)}</td></tr>))}
      </tbody></table>
  );
}

function EdgeList({ added, removed }: { added: DiffEdge[]; removed: DiffEdge[] }) {
  if (added.length + removed.length === 0) return null;
  return (
    <ul className="diff-edges">
      {added.map((e) => <li key={`+${e.text}`} className="diff-after" data-test="diff-edge-added">+ {e.text}</li>)}
      {removed.map((e) => <li key={`-${e.text}`} className="diff-before" data-test="diff-edge-removed">− {e.text}</li>)}
    </ul>
  );
}

/** Sample inputs for the start node: saved data, else each input's default, else an example of its type. */
function sampleData(doc: FlowDoc): { start: string; inputs: JsonObject } {
  const start = doc.nodes.find((n) => n.id === doc.default_start_node_id) ?? doc.nodes.find((n) => n.type === 'start');
  const settings = (start?.settings ?? {}) as JsonObject;
  const data = (settings.data ?? {}) as JsonObject;
  const inputs: JsonObject = {};
  const example: Record<string, Json> = { string: 'text', number: 0, integer: 0, boolean: false, object: {}, array: [] };
  for (const [name, spec] of Object.entries((settings.inputs ?? {}) as Record<string, JsonObject>)) {
    inputs[name] = data[name] ?? spec.default ?? example[String(spec.type)] ?? 'text';
  }
  return { start: start?.id ?? 'start', inputs };
}

function PinBox({ flowId, version, doc }: { flowId: number; version: number; doc: FlowDoc }) {
  const { start, inputs } = sampleData(doc);
  const code = pinnedCurl(window.location.origin, flowId, version, start, inputs);
  return (
    <div className="pin-box" data-test="pin-box">
      <h2 className="section">Run exactly v{version}</h2>
      <p className="muted">Give <code>flow_version</code> in the execute body; without it, calls run the latest version.
        Use a server key from <a href="#/keys">API keys</a> in place of <code>YOUR_SERVER_KEY</code>.</p>
      <div className="snippet"><div className="snippet-copy"><CopyButton text={code} testId="copy-pinned" /></div>
        <pre className="code" data-test="pinned-snippet">{code}</pre></div>
    </div>
  );
}
