import { useCallback, useEffect, useState } from 'react';
import { del, describe, get, put, setCsrfToken } from '../lib/api';
import { Button, ErrorNote, Field, useToast, when } from '../kit/kit';
import type { SessionState } from './SignInPage';

interface SessionRow { id: string; current: boolean; created_at: string; last_seen_at: string; expires_at: string;
  address: string | null; user_agent: string | null }

/** One's own account: change the password (every other session ends), see and revoke one's sessions. */
export function AccountPage({ email, role }: { email?: string; role?: string }) {
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [current, setCurrent] = useState('');
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const load = useCallback(() => get<{ sessions: SessionRow[] }>('/api/v1/account/sessions')
    .then((r) => setSessions(r.sessions)).catch((e) => setError(describe(e))), []);
  useEffect(() => { load(); }, [load]);
  const change = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const s = await put<SessionState>('/api/v1/account/password', { current_password: current, new_password: chosen });
      setCsrfToken(s.csrf_token ?? '');
      setCurrent(''); setChosen('');
      toast('Password changed; your other sessions ended');
      load();
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <div className="page">
      <header className="page-head"><div><h1>Account</h1>
        <p className="muted">Signed in as <b data-test="account-email">{email}</b> ({role}).</p></div></header>
      <h2 className="section">Change password</h2>
      <form className="account-form" onSubmit={change}>
        <Field label="Current password"><input type="password" autoComplete="current-password" value={current}
          onChange={(e) => setCurrent(e.target.value)} data-test="current-password" /></Field>
        <Field label="New password" hint="At least 8 characters."><input type="password" autoComplete="new-password"
          value={chosen} onChange={(e) => setChosen(e.target.value)} data-test="new-password" /></Field>
        <ErrorNote error={error} />
        <Button variant="primary" type="submit" data-test="change-password">Change password</Button>
      </form>
      <h2 className="section">Sessions</h2>
      {sessions && <table className="table">
        <thead><tr><th>Signed in</th><th>Last seen</th><th>Ends</th><th>From</th><th /></tr></thead>
        <tbody>{sessions.map((s) => (
          <tr key={s.id} data-test="session-row">
            <td>{when(s.created_at)}{s.current && <span className="muted"> (this browser)</span>}</td>
            <td>{when(s.last_seen_at)}</td><td>{when(s.expires_at)}</td>
            <td className="muted">{s.address ?? ''} {s.user_agent ? s.user_agent.slice(0, 40) : ''}</td>
            <td className="row-actions">{!s.current && <Button small variant="ghost" data-test="revoke-session"
              onClick={() => del(`/api/v1/account/sessions/${s.id}`).then(() => { toast('Session ended'); load(); })
                .catch((e) => toast(describe(e), 'error'))}>Revoke</Button>}</td>
          </tr>))}</tbody>
      </table>}
    </div>
  );
}
