import { useEffect, useState } from 'react';
import { describe, get, post } from '../lib/api';
import { ssoErrorIn, ssoErrorWords } from '../lib/sso';
import type { SsoConfig } from '../lib/sso';
import { Button, ErrorNote, Field } from '../kit/kit';
import type { Role } from '../lib/role';

export interface SessionState {
  signed_in: boolean;
  csrf_token?: string;
  password_set?: boolean;
  owner_set?: boolean;
  setup_needs_admin_token?: boolean;
  session_id?: string;
  user?: { id: number; email: string; role: Role };
  workspace?: { id: number; name: string; role: Role };
  workspaces?: { id: number; name: string; role: Role }[];
}

/** The first visit makes the first owner (email and password); later visits sign in with email and password. */
export function SignInPage({ state, onSignedIn }: { state: SessionState; onSignedIn: (s: SessionState) => void }) {
  const setup = !(state.owner_set ?? state.password_set);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<SsoConfig | null>(null);
  const [ssoError] = useState(() => ssoErrorIn(window.location.search));

  useEffect(() => {
    get<SsoConfig>('/api/v1/session/oidc').then(setSso).catch(() => setSso(null));
    // the callback's error is shown once: the address loses it, so a reload does not repeat it
    if (ssoErrorIn(window.location.search)) window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (setup && password !== repeat) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const who = email.trim() ? { email: email.trim() } : {};
      const body = setup ? { ...who, password, ...(state.setup_needs_admin_token ? { admin_token: token } : {}) }
        : { ...who, password };
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
        <h1>{setup ? 'Create the first owner' : 'Sign in'}</h1>
        <p className="muted">{setup ? 'This is the first visit: the owner you create here manages this Weft and invites the others.'
          : 'Sign in with your email and password.'}</p>
        <Field label="Email" hint={setup ? undefined : 'Upgraded from a single admin password? Your email is admin@localhost.'}>
          <input type="email" name="email" autoComplete="username" autoFocus required={setup}
            value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Password" hint={setup ? 'At least 8 characters.' : undefined}>
          <input type="password" name="password" autoComplete={setup ? 'new-password' : 'current-password'}
            value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        {setup && <Field label="Repeat the password">
          <input type="password" name="repeat" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </Field>}
        {setup && state.setup_needs_admin_token && <Field label="Admin token"
          hint="You are not on the server's machine: paste the token from data/admin-token to prove you own it.">
          <input name="admin_token" value={token} onChange={(e) => setToken(e.target.value)} />
        </Field>}
        {ssoError && <div className="note note-error" role="alert" data-test="sso-error">{ssoErrorWords(ssoError)}</div>}
        <ErrorNote error={error} />
        <Button variant="primary" type="submit" disabled={busy} data-test="sign-in">
          {busy ? 'One moment…' : setup ? 'Create owner and sign in' : 'Sign in'}</Button>
        {sso?.enabled && <>
          <div className="sso-or"><span>or</span></div>
          <a className="btn btn-secondary sso-button" href={sso.start_url ?? '/api/v1/session/oidc/start'}
            data-test="sso-sign-in">Sign in with {sso.label}</a>
        </>}
      </form>
    </div>
  );
}

/**
 * An invitation link (#/invite/<token>): choose an email and a password to join with the invitation's role, or give
 * the email and password of an account one has already to add this workspace to it.
 */
export function InvitePage({ token, onSignedIn }: { token: string; onSignedIn: (s: SessionState) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const s = await post<SessionState>(`/api/v1/invitations/${encodeURIComponent(token)}/accept`, { email, password });
      window.location.hash = '#/flows';
      onSignedIn(s);
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <div className="signin">
      <form className="signin-card" onSubmit={submit}>
        <div className="brand brand-large"><span className="brand-mark" />Weft</div>
        <h1>Join this Weft</h1>
        <p className="muted">You were invited. Choose the email and password you will sign in with, or, if you have an
          account here already, give its email and password to add this workspace to it.</p>
        <Field label="Email"><input type="email" name="email" autoComplete="username" value={email}
          onChange={(e) => setEmail(e.target.value)} data-test="invite-email" /></Field>
        <Field label="Password" hint="At least 8 characters; your own if you have an account."><input type="password" name="password" autoComplete="new-password"
          value={password} onChange={(e) => setPassword(e.target.value)} data-test="invite-password" /></Field>
        <ErrorNote error={error} />
        <Button variant="primary" type="submit" data-test="invite-accept">Join</Button>
      </form>
    </div>
  );
}
