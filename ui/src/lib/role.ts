// Issue 15: what the signed-in member's role allows on screen — the one place the UI decides it. It mirrors the
// server's MemberRole.allows (viewer < runner < editor < owner); the session answer's `permissions` list, when
// present, is the server's own word and wins. The server refuses anyway (RoutePolicy); this only hides controls a
// role cannot use, so a viewer sees no edit buttons and a read-only builder. Components ask useCan(permission),
// never compare role names.
import { createContext, useContext } from 'react';

export type Role = 'owner' | 'editor' | 'runner' | 'viewer';
/** What a control needs: read (everyone), run flows and act on tasks, build (edit, publish, keys...), manage (members). */
export type Permission = 'read' | 'run' | 'build' | 'manage';

const RANK: Record<Role, number> = { viewer: 0, runner: 1, editor: 2, owner: 3 };
const NEEDS: Record<Permission, number> = { read: 0, run: 1, build: 2, manage: 3 };
export const PERMISSIONS: readonly Permission[] = ['read', 'run', 'build', 'manage'];

const isRole = (role: unknown): role is Role => typeof role === 'string' && Object.prototype.hasOwnProperty.call(RANK, role);

/**
 * Whether `role` may do what `permission` covers, as MemberRole.allows says. No role at all (the UI opened with no
 * member, the admin token's use) may do everything; a role the UI does not know may only read.
 */
export function allows(role: Role | string | undefined | null, permission: Permission): boolean {
  if (role === undefined || role === null) return true;
  if (!isRole(role)) return permission === 'read';
  return RANK[role] >= NEEDS[permission];
}

/** What the signed-in member may do: their role, and the permissions the session gives (or the role implies). */
export interface Access { role: string | null; permissions: ReadonlySet<Permission> }

/** The member's access from the session's `user` (`role`, and `permissions` when the server sends them). */
export function accessOf(user?: { role?: string | null; permissions?: readonly string[] } | null): Access {
  const role = user?.role ?? null;
  const given = user?.permissions;
  const permissions = Array.isArray(given)
    ? PERMISSIONS.filter((p) => given.includes(p))
    : PERMISSIONS.filter((p) => allows(role, p));
  return { role, permissions: new Set(permissions) };
}

/** Everything: the context's value where no member is signed in (a page rendered outside the shell). */
export const FULL_ACCESS: Access = { role: null, permissions: new Set(PERMISSIONS) };

export const AccessContext = createContext<Access>(FULL_ACCESS);

/** Whether the signed-in member may do what `permission` covers. */
export function useCan(permission: Permission): boolean {
  return useContext(AccessContext).permissions.has(permission);
}

/** The signed-in member's access (role and permissions). */
export function useAccess(): Access {
  return useContext(AccessContext);
}

/** The builder's notice for a member who may not build (null for one who may): names the role. */
export function readOnlyNotice(access: Access): string | null {
  if (access.permissions.has('build')) return null;
  return `Read only — your role is ${access.role ?? 'unknown'}`;
}

/** What the read-only builder still lets a member do, said under the notice. */
export function readOnlyHint(access: Access): string {
  return access.permissions.has('run')
    ? 'You can look at the flow, read each node\'s settings and run its published version; an editor changes it.'
    : 'You can look at the flow and read each node\'s settings; an editor changes it.';
}
