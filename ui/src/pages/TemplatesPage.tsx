// The templates gallery: ready flows as cards (what each does, its tags, what it needs); choosing one makes a new
// draft flow from it on the server and opens the builder.
import { useEffect, useState } from 'react';
import { describe, get, post } from '../lib/api';
import type { Flow, FlowTemplate, TemplateNeed } from '../lib/types';
import { Button, ErrorNote, useToast } from '../kit/kit';
import { useCan } from '../lib/role';
import { go } from '../router';

/** The names of the credentials and knowledge bases this server has, to mark a template's needs met or missing. */
interface Have { credentials: Set<string>; knowledgeBases: Set<string> }

export function TemplatesPage() {
  return (
    <div className="page">
      <header className="page-head">
        <div><h1>Templates</h1><p className="muted">Ready flows to start from: each opens as a new draft in the builder.</p></div>
        <div className="actions"><Button onClick={() => go('/flows')} data-test="templates-back">Back to flows</Button></div>
      </header>
      <TemplateGallery />
    </div>
  );
}

export function TemplateGallery() {
  const [templates, setTemplates] = useState<FlowTemplate[] | null>(null);
  const [have, setHave] = useState<Have | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const toast = useToast();
  useEffect(() => {
    get<{ templates: FlowTemplate[] }>('/api/v1/templates').then((r) => setTemplates(r.templates))
      .catch((e) => setError(describe(e)));
    // what exists already: a need is shown met or missing (a failure here only hides the marks)
    Promise.all([get<{ credentials: { name: string }[] }>('/api/v1/credentials'),
      get<{ knowledge_bases: { name: string }[] }>('/api/v1/knowledge-bases')])
      .then(([c, k]) => setHave({ credentials: new Set(c.credentials.map((x) => x.name)),
        knowledgeBases: new Set(k.knowledge_bases.map((x) => x.name)) }))
      .catch(() => setHave(null));
  }, []);
  const canBuild = useCan('build');   // issue 15: making a flow from a template is building
  const use = async (template: FlowTemplate) => {
    setBusy(template.id);
    try {
      const created = await post<Flow>('/api/v1/flows', { template: template.id });
      toast(`Made “${created.name}” from a template`);
      go(`/flows/${created.id}`);
    } catch (e) {
      toast(describe(e), 'error');
      setBusy(null);
    }
  };
  if (error) return <ErrorNote error={error} />;
  if (!templates) return <div className="loading">Loading templates…</div>;
  return (
    <div className="template-grid" data-test="template-gallery">
      {templates.map((t) => (
        <article key={t.id} className="template-card" data-test={`template-${t.id}`}>
          <h3>{t.name}</h3>
          <p className="template-description">{t.description}</p>
          <div className="template-tags">{t.tags.map((tag) => <span key={tag} className="template-tag">{tag}</span>)}</div>
          <Needs template={t} have={have} />
          <div className="template-foot">
            <span className="muted small mono template-types" title="Node types">{t.node_types.join(' · ')}</span>
            {canBuild && <Button small variant="primary" disabled={busy !== null} onClick={() => use(t)} data-test={`use-template-${t.id}`}>
              {busy === t.id ? 'Making…' : 'Use template'}</Button>}
          </div>
        </article>
      ))}
    </div>
  );
}

function Needs({ template, have }: { template: FlowTemplate; have: Have | null }) {
  const { credentials, knowledge_bases: kbs, flows } = template.needs;
  if (credentials.length + kbs.length + flows.length === 0) {
    return <div className="template-needs" data-test={`needs-${template.id}`}><span className="need need-met">Runs as it is</span></div>;
  }
  const mark = (present: boolean | undefined) => (present === undefined ? '' : present ? ' need-met' : ' need-missing');
  const title = (n: TemplateNeed, present: boolean | undefined) => `${n.for}${present === false ? ' (not set up yet)' : ''}`;
  return (
    <div className="template-needs" data-test={`needs-${template.id}`}>
      <span className="muted small">Needs</span>
      {credentials.map((n) => {
        const present = have ? have.credentials.has(n.name ?? '') : undefined;
        return <span key={`c-${n.name}`} className={`need${mark(present)}`} title={title(n, present)}>
          credential <b className="mono">{n.name}</b>{n.kind ? ` (${n.kind})` : ''}</span>;
      })}
      {kbs.map((n) => {
        const present = have ? have.knowledgeBases.has(n.name ?? '') : undefined;
        return <span key={`k-${n.name}`} className={`need${mark(present)}`} title={title(n, present)}>
          knowledge base <b className="mono">{n.name}</b></span>;
      })}
      {flows.map((n) => <span key={`f-${n.template}`} className="need" title={n.for}>makes a <b>{n.template}</b> flow</span>)}
    </div>
  );
}
