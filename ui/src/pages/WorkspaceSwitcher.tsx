import { useState } from 'react';
import { describe, post } from '../lib/api';

/** One workspace as the session lists it: its id, name and my role there. */
export interface WorkspaceItem { id: number; name: string; role: string }

const NEW = 'new';

/**
 * The top bar's workspace switcher (issue 15): my workspaces, the current one selected; choosing another switches the
 * session and reloads the page so every screen reads the new workspace's data; "New workspace…" makes one (I become
 * its owner) and switches to it.
 */
export function WorkspaceSwitcher({ current, workspaces }: { current: number; workspaces: WorkspaceItem[] }) {
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const switchTo = async (id: number) => {
    try {
      await post('/api/v1/session/workspace', { workspace_id: id });
      window.location.hash = '#/flows';
      window.location.reload();
    } catch (e) {
      setError(describe(e));
    }
  };

  const create = async () => {
    try {
      const made = await post<{ id: number }>('/api/v1/workspaces', { name });
      await switchTo(made.id);
    } catch (e) {
      setError(describe(e));
    }
  };

  if (naming) {
    return (
      <form className="workspace-new" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="Workspace name"
          aria-label="New workspace name" data-test="workspace-name"
          onKeyDown={(e) => { if (e.key === 'Escape') setNaming(false); }} />
        <button type="submit" className="link" disabled={!name.trim()} data-test="workspace-create">Create</button>
        {error && <span className="workspace-error" role="alert">{error}</span>}
      </form>
    );
  }
  return (
    <select className="workspace-switcher" value={String(current)} data-test="workspace-switcher"
      aria-label="Workspace" title={error ?? 'Workspace'}
      onChange={(e) => { if (e.target.value === NEW) setNaming(true); else void switchTo(Number(e.target.value)); }}>
      {workspaces.map((w) => <option key={w.id} value={String(w.id)}>{w.name}</option>)}
      <option value={NEW}>New workspace…</option>
    </select>
  );
}
