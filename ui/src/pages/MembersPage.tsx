import { useCallback, useEffect, useState } from 'react';
import { describe, get, post, put } from '../lib/api';
import { Button, CopyButton, Dialog, ErrorNote, Field, useToast, when } from '../kit/kit';
import type { Role } from '../lib/role';

interface MemberRow { id: number; email: string; role: Role; disabled: boolean; created_at: string }

const ROLES: Role[] = ['owner', 'editor', 'runner', 'viewer'];

/** Owners: the workspace's members, their roles, invitation links, disabling and password resets. */
export function MembersPage({ me }: { me: number | undefined }) {
  const [members, setMembers] = useState<MemberRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [inviteRole, setInviteRole] = useState<Role>('editor');
  const [link, setLink] = useState<string | null>(null);
  const [resetting, setResetting] = useState<MemberRow | null>(null);
  const toast = useToast();
  const load = useCallback(() => get<{ members: MemberRow[] }>('/api/v1/members')
    .then((r) => setMembers(r.members)).catch((e) => setError(describe(e))), []);
  useEffect(() => { load(); }, [load]);
  const act = (p: Promise<unknown>, done: string) => p.then(() => { toast(done); load(); }).catch((e) => toast(describe(e), 'error'));

  return (
    <div className="page">
      <header className="page-head">
        <div><h1>Members</h1><p className="muted">Owners manage members; editors build and publish; runners run
          flows and see tasks; viewers only read.</p></div>
        <div className="members-invite">
          <select value={inviteRole} onChange={(e) => setInviteRole(e.target.value as Role)} data-test="invite-role">
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>
          <Button variant="primary" data-test="invite" onClick={() => post<{ link: string }>('/api/v1/invitations', { role: inviteRole })
            .then((r) => setLink(`${window.location.origin}${r.link}`)).catch((e) => toast(describe(e), 'error'))}>Invite</Button>
        </div>
      </header>
      <ErrorNote error={error} />
      {link && <div className="note" data-test="invite-link-note">Send this link to the person you invite (it works once, for 7 days):
        <div className="copy-row"><code className="secret" data-test="invite-link">{link}</code><CopyButton text={link} testId="copy-invite" /></div></div>}
      {members && <table className="table">
        <thead><tr><th>Email</th><th>Role</th><th>Status</th><th>Joined</th><th /></tr></thead>
        <tbody>{members.map((m) => (
          <tr key={m.id} data-test="member-row">
            <td className="strong">{m.email}{m.id === me && <span className="muted"> (you)</span>}</td>
            <td>{m.id === me ? m.role : <select value={m.role} data-test="member-role"
              onChange={(e) => act(put(`/api/v1/members/${m.id}`, { role: e.target.value }), `${m.email} is now ${e.target.value}`)}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>}</td>
            <td>{m.disabled ? <span className="badge badge-failed">disabled</span> : <span className="muted">active</span>}</td>
            <td>{when(m.created_at)}</td>
            <td className="row-actions">{m.id !== me && <>
              <Button small variant="ghost" data-test="member-disable" onClick={() => act(post(`/api/v1/members/${m.id}/${m.disabled ? 'enable' : 'disable'}`),
                `${m.email} ${m.disabled ? 'enabled' : 'disabled'}`)}>{m.disabled ? 'Enable' : 'Disable'}</Button>
              <Button small variant="ghost" onClick={() => setResetting(m)}>Reset password</Button></>}</td>
          </tr>))}</tbody>
      </table>}
      {resetting && <ResetDialog member={resetting} onClose={() => setResetting(null)} />}
    </div>
  );
}

function ResetDialog({ member, onClose }: { member: MemberRow; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const submit = () => post(`/api/v1/members/${member.id}/password`, { password })
    .then(() => { toast(`New password set for ${member.email}; their sessions ended`); onClose(); })
    .catch((e) => setError(describe(e)));
  return (
    <Dialog title={`Reset the password of ${member.email}`} onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button><Button variant="primary" onClick={submit}>Set password</Button></>}>
      <Field label="New password" hint="At least 8 characters; tell it to them another way.">
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} /></Field>
      <ErrorNote error={error} />
    </Dialog>
  );
}
