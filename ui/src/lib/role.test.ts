import { describe, expect, it } from 'vitest';
import { accessOf, allows, PERMISSIONS, readOnlyHint, readOnlyNotice } from './role';
import type { Permission, Role } from './role';

// What the server's MemberRole.allows answers, written out: the UI must agree cell by cell.
const SERVER: Record<Role, Permission[]> = {
  viewer: ['read'],
  runner: ['read', 'run'],
  editor: ['read', 'run', 'build'],
  owner: ['read', 'run', 'build', 'manage'],
};

describe('allows', () => {
  it('gives each role what the one below has and more', () => {
    expect(allows('viewer', 'read')).toBe(true);
    expect(allows('viewer', 'run')).toBe(false);
    expect(allows('runner', 'run')).toBe(true);
    expect(allows('runner', 'build')).toBe(false);
    expect(allows('editor', 'build')).toBe(true);
    expect(allows('editor', 'manage')).toBe(false);
    expect(allows('owner', 'manage')).toBe(true);
  });

  it('agrees with the server for every role and permission', () => {
    for (const [role, granted] of Object.entries(SERVER) as [Role, Permission[]][]) {
      for (const permission of PERMISSIONS) {
        expect(allows(role, permission), `${role} ${permission}`).toBe(granted.includes(permission));
      }
    }
  });

  it('lets a role it does not know only read, even one named like an object property', () => {
    for (const role of ['admin', 'OWNER', '', 'toString', '__proto__']) {
      expect(PERMISSIONS.filter((p) => allows(role, p)), role).toEqual(['read']);
    }
  });
});

describe('accessOf', () => {
  it('derives the permissions from the role when the session sends none', () => {
    for (const [role, granted] of Object.entries(SERVER) as [Role, Permission[]][]) {
      expect([...accessOf({ role }).permissions]).toEqual(granted);
    }
  });

  it('takes the server\'s permissions over the role when both come, ignoring words it does not know', () => {
    const access = accessOf({ role: 'owner', permissions: ['read', 'run', 'fly'] });
    expect([...access.permissions]).toEqual(['read', 'run']);
    expect(access.role).toBe('owner');
  });

  it('gives an empty permission list nothing, not even read', () => {
    expect(accessOf({ role: 'viewer', permissions: [] }).permissions.size).toBe(0);
  });

  it('gives everything where no member is known (no user in the session)', () => {
    expect([...accessOf(undefined).permissions]).toEqual(PERMISSIONS);
  });
});

describe('the read-only notice', () => {
  it('names the role of a member who may not build, and is absent for one who may', () => {
    expect(readOnlyNotice(accessOf({ role: 'viewer' }))).toBe('Read only — your role is viewer');
    expect(readOnlyNotice(accessOf({ role: 'runner' }))).toBe('Read only — your role is runner');
    expect(readOnlyNotice(accessOf({ role: 'editor' }))).toBeNull();
    expect(readOnlyNotice(accessOf({ role: 'owner' }))).toBeNull();
  });

  it('tells a runner they can still run the published version, and a viewer that they can read', () => {
    expect(readOnlyHint(accessOf({ role: 'runner' }))).toContain('run its published version');
    expect(readOnlyHint(accessOf({ role: 'viewer' }))).not.toContain('run');
  });
});
