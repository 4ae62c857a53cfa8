import { useState } from 'react';
import { describe, post } from '../lib/api';
import { Button, ErrorNote, Field } from '../kit/kit';

export interface SessionState {
  signed_in: boolean;
  csrf_token?: string;
  password_set?: boolean;
  setup_needs_admin_token?: boolean;
}

/** The first visit sets the admin password; later visits sign in with it. */
export function SignInPage({ state, onSignedIn }: { state: SessionState; onSignedIn: (s: SessionState) => void }) {
  const setup = !state.password_set;
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (setup && password !== repeat) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = setup ? { password, ...(state.setup_needs_admin_token ? { admin_token: token } : {}) } : { password };
      onSignedIn(await post<SessionState>(setup ? '/api/v1/session/setup' : '/api/v1/session', body));
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="signin-card" onSubmit={submit}>
        <div className="brand brand-large"><span className="brand-mark" />Weft</div>
        <h1>{setup ? 'Set the admin password' : 'Sign in'}</h1>
        <p className="muted">{setup ? 'This is the first visit: choose the password that protects this Weft.'
          : 'Enter the admin password.'}</p>
        <Field label="Password" hint={setup ? 'At least 8 characters.' : undefined}>
          <input type="password" name="password" autoComplete={setup ? 'new-password' : 'current-password'} autoFocus
            value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        {setup && <Field label="Repeat the password">
          <input type="password" name="repeat" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </Field>}
        {setup && state.setup_needs_admin_token && <Field label="Admin token"
          hint="You are not on the server's machine: paste the token from data/admin-token to prove you own it.">
          <input name="admin_token" value={token} onChange={(e) => setToken(e.target.value)} />
        </Field>}
        <ErrorNote error={error} />
        <Button variant="primary" type="submit" disabled={busy} data-test="sign-in">
          {busy ? 'One moment…' : setup ? 'Set password and sign in' : 'Sign in'}</Button>
      </form>
    </div>
  );
}
