import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { del, get, setCsrfToken, whenSignedOut } from './lib/api';
import { Toasts } from './kit/kit';
import { useRoute } from './router';
import { SignInPage } from './pages/SignInPage';
import type { SessionState } from './pages/SignInPage';
import { FlowsPage } from './pages/FlowsPage';
import { KeysPage } from './pages/KeysPage';
import { KnowledgePage } from './pages/KnowledgePage';
import { McpServersPage } from './pages/McpServersPage';
import { TasksPage } from './pages/TasksPage';
import { CredentialsPage } from './pages/CredentialsPage';
import { VersionsPage } from './pages/VersionsPage';
import { TemplatesPage } from './pages/TemplatesPage';
import { SchedulesPage } from './pages/SchedulesPage';

// The canvas (React Flow) loads only when a flow or a task is opened: the first screen stays small.
const BuilderPage = lazy(() => import('./builder/BuilderPage'));
const TaskPage = lazy(() => import('./pages/TaskPage'));

export function App() {
  const [session, setSession] = useState<SessionState | null>(null);
  const load = useCallback(() => {
    get<SessionState>('/api/v1/session').then((s) => {
      setCsrfToken(s.csrf_token ?? '');
      setSession(s);
    }).catch(() => setSession({ signed_in: false, password_set: true }));
  }, []);
  useEffect(() => {
    load();
    whenSignedOut(() => { setCsrfToken(''); load(); });
  }, [load]);
  if (!session) return <div className="boot">Weft</div>;
  return (
    <Toasts>
      {session.signed_in ? <Shell onSignOut={async () => { await del('/api/v1/session'); setCsrfToken(''); load(); }} />
        : <SignInPage state={session} onSignedIn={(s) => { setCsrfToken(s.csrf_token ?? ''); setSession(s); }} />}
    </Toasts>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const tab = route.page === 'builder' ? 'flows' : route.page === 'task' ? 'tasks' : route.page;
  return (
    <div className="shell">
      <nav className="topbar">
        <a className="brand" href="#/flows"><span className="brand-mark" />Weft</a>
        <a className={tab === 'flows' ? 'active' : ''} href="#/flows">Flows</a>
        <a className={tab === 'tasks' ? 'active' : ''} href="#/tasks">Tasks</a>
        <a className={tab === 'knowledge' ? 'active' : ''} href="#/knowledge" data-test="nav-knowledge">Knowledge</a>
        <a className={tab === 'mcp' ? 'active' : ''} href="#/mcp" data-test="nav-mcp">MCP servers</a>
        <a className={tab === 'keys' ? 'active' : ''} href="#/keys" data-test="nav-keys">API keys</a>
        <a className={tab === 'credentials' ? 'active' : ''} href="#/credentials" data-test="nav-credentials">Credentials</a>
        <a className={tab === 'schedules' ? 'active' : ''} href="#/schedules" data-test="nav-schedules">Schedules</a>
        <span className="spacer" />
        <a href="/api/docs" target="_blank" rel="noreferrer">API docs</a>
        <button type="button" className="link" onClick={onSignOut} data-test="sign-out">Sign out</button>
      </nav>
      <main className={route.page === 'builder' ? 'main main-full' : 'main'}>
        <Suspense fallback={<div className="loading">Loading…</div>}>
          {route.page === 'flows' && <FlowsPage />}
          {route.page === 'builder' && <BuilderPage key={route.flowId} flowId={route.flowId} />}
          {route.page === 'tasks' && <TasksPage flowId={route.flowId} />}
          {route.page === 'task' && <TaskPage key={route.taskId} taskId={route.taskId} />}
          {route.page === 'keys' && <KeysPage />}
          {route.page === 'knowledge' && <KnowledgePage />}
          {route.page === 'mcp' && <McpServersPage />}
          {route.page === 'versions' && <VersionsPage key={route.flowId} flowId={route.flowId} />}
          {route.page === 'credentials' && <CredentialsPage />}
          {route.page === 'templates' && <TemplatesPage />}
          {route.page === 'schedules' && <SchedulesPage key={route.flowId ?? 0} flowId={route.flowId} />}
        </Suspense>
      </main>
    </div>
  );
}
