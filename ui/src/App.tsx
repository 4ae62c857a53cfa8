import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
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
import { WebhooksPage } from './pages/WebhooksPage';
import { InvitePage } from './pages/SignInPage';
import { MembersPage } from './pages/MembersPage';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/AuditPage';
import { accessOf, AccessContext, useCan } from './lib/role';
import { parse } from './router';
import { SchedulesPage } from './pages/SchedulesPage';
import { WorkspaceSwitcher } from './pages/WorkspaceSwitcher';

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
  const access = useMemo(() => accessOf(session?.user), [session]);   // issue 15: what the member's role allows
  if (!session) return <div className="boot">Weft</div>;
  const opened = parse(window.location.hash);
  const invite = opened.page === 'invite' ? opened.token : null;
  return (
    <Toasts>
      {session.signed_in ? <AccessContext.Provider value={access}>
        <Shell session={session} onSignOut={async () => { await del('/api/v1/session'); setCsrfToken(''); load(); }} />
      </AccessContext.Provider>
        : invite ? <InvitePage token={invite} onSignedIn={(s) => { setCsrfToken(s.csrf_token ?? ''); setSession(s); }} />
        : <SignInPage state={session} onSignedIn={(s) => { setCsrfToken(s.csrf_token ?? ''); setSession(s); }} />}
    </Toasts>
  );
}

function Shell({ session, onSignOut }: { session: SessionState; onSignOut: () => void }) {
  const route = useRoute();
  const owner = useCan('manage');
  const tab = route.page === 'builder' || route.page === 'webhooks' ? 'flows' : route.page === 'task' ? 'tasks' : route.page;
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
        {owner && <a className={tab === 'members' ? 'active' : ''} href="#/members" data-test="nav-members">Members</a>}
        {owner && <a className={tab === 'audit' ? 'active' : ''} href="#/audit" data-test="nav-audit">Audit</a>}
        <span className="spacer" />
        {session.workspace && <WorkspaceSwitcher current={session.workspace.id} workspaces={session.workspaces ?? []} />}
        <a href="/api/docs" target="_blank" rel="noreferrer">API docs</a>
        {session.user && <a className={`account-link${tab === 'account' ? ' active' : ''}`} href="#/account" data-test="nav-account"
          title={`Signed in as ${session.user.email} (${session.user.role})`}>{session.user.email}</a>}
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
          {route.page === 'webhooks' && <WebhooksPage key={route.flowId} flowId={route.flowId} />}
          {route.page === 'members' && (owner ? <MembersPage me={session.user?.id} workspace={session.workspace} /> : <OwnersOnly what="Members" />)}
          {route.page === 'account' && <AccountPage email={session.user?.email} role={session.user?.role} />}
          {route.page === 'audit' && (owner ? <AuditPage /> : <OwnersOnly what="The audit log" />)}
          {route.page === 'invite' && <FlowsPage />}
          {route.page === 'schedules' && <SchedulesPage key={route.flowId ?? 0} flowId={route.flowId} />}
        </Suspense>
      </main>
    </div>
  );
}

/** issue 15: a page only owners use, opened by its address by someone else: said plainly, nothing asked of the server. */
function OwnersOnly({ what }: { what: string }) {
  return <div className="page" data-test="owners-only"><p className="note note-info">{what} is for the workspace's owners;
    your role does not include it.</p><a href="#/flows">Back to flows</a></div>;
}
