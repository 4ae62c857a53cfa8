import { useCallback, useEffect, useState } from 'react';
import { del, describe, get, post, put } from '../lib/api';
import { Button, CopyButton, Dialog, ErrorNote, Field, useToast, when } from '../kit/kit';
import type { Role } from '../lib/role';

interface MemberRow { id: number; email: string; role: Role; disabled: boolean; created_at: string }

const ROLES: Role[] = ['owner', 'editor', 'runner', 'viewer'];

/** The default workspace (V17): it is never deleted. */
const DEFAULT_WORKSPACE = 1;

/**
 * Owners: the workspace's members, their roles, invitation links, disabling and password resets; and the workspace
 * itself: its name, and deleting it once it holds nothing.
 */
export function MembersPage({ me, workspace }: { me: number | undefined; workspace?: { id: number; name: string } }) {
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
      {workspace && <WorkspaceSettings workspace={workspace} />}
    </div>
  );
}

/** The current workspace's name, and deleting it (not the default one): it must hold nothing first. */
function WorkspaceSettings({ workspace }: { workspace: { id: number; name: string } }) {
  const [name, setName] = useState(workspace.name);
  const [deleting, setDeleting] = useState(false);
  const toast = useToast();
  const rename = () => put(`/api/v1/workspaces/${workspace.id}`, { name })
    .then(() => { toast(`Workspace renamed to ${name.trim()}`); window.location.reload(); })
    .catch((e) => toast(describe(e), 'error'));
  return (
    <section className="workspace-settings" data-test="workspace-settings">
      <h2>Workspace</h2>
      <div className="workspace-rename">
        <Field label="Name"><input value={name} onChange={(e) => setName(e.target.value)} data-test="workspace-rename-name" /></Field>
        <Button disabled={!name.trim() || name.trim() === workspace.name} onClick={rename} data-test="workspace-rename">Rename</Button>
      </div>
      {workspace.id === DEFAULT_WORKSPACE
        ? <p className="muted small" data-test="workspace-default-note">This is the default workspace: it cannot be deleted.</p>
        : <div className="danger-zone">
          <p className="small">Deleting the workspace removes its members, invitations, files and the history of its runs. It must hold nothing first:
            delete its flows, knowledge bases, MCP servers and credentials and revoke its keys.</p>
          <Button variant="danger" onClick={() => setDeleting(true)} data-test="workspace-delete">Delete workspace…</Button>
        </div>}
      {deleting && <DeleteWorkspaceDialog workspace={workspace} onClose={() => setDeleting(false)} />}
    </section>
  );
}

/** Asks for the workspace's name before deleting it; a workspace that still holds things is refused, saying what. */
function DeleteWorkspaceDialog({ workspace, onClose }: { workspace: { id: number; name: string }; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => del(`/api/v1/workspaces/${workspace.id}`)
    .then(() => { window.location.hash = '#/flows'; window.location.reload(); })
    .catch((e) => setError(describe(e)));
  return (
    <Dialog title={`Delete the workspace ${workspace.name}`} onClose={onClose} footer={<>
      <Button onClick={onClose}>Cancel</Button>
      <Button variant="danger" disabled={typed !== workspace.name} onClick={submit} data-test="workspace-delete-confirm">Delete</Button></>}>
      <p>Its members lose access to it, its files are deleted and the history of its runs goes within a minute; anyone signed in to it moves to another of their workspaces.
        This cannot be undone.</p>
      <Field label={`Type ${workspace.name} to confirm`}>
        <input value={typed} onChange={(e) => setTyped(e.target.value)} data-test="workspace-delete-name" /></Field>
      <ErrorNote error={error} />
    </Dialog>
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
