// Issue 15: what the signed-in member's role allows on screen. The server refuses anyway (RoutePolicy); this only
// hides controls a role cannot use, so a viewer sees no edit buttons.
import { createContext, useContext } from 'react';

export type Role = 'owner' | 'editor' | 'runner' | 'viewer';
export type Permission = 'read' | 'run' | 'build' | 'manage';

const RANK: Record<Role, number> = { viewer: 0, runner: 1, editor: 2, owner: 3 };
const NEEDS: Record<Permission, number> = { read: 0, run: 1, build: 2, manage: 3 };

/** Whether `role` may do what `permission` covers; no role (the admin token's own UI use) may do everything. */
export function allows(role: Role | undefined | null, permission: Permission): boolean {
  if (!role) return true;
  return RANK[role] >= NEEDS[permission];
}

export const RoleContext = createContext<Role | null>(null);

/** Whether the signed-in member may do what `permission` covers. */
export function useCan(permission: Permission): boolean {
  return allows(useContext(RoleContext), permission);
}
