// Which of a node's settings a run's node_settings may replace: the node's "overridable" field, read against the
// node type's locked settings, and written back in its shortest form (absent when it says what the default says).
import type { DocNode, NodeTypeInfo } from './types';

/** The node type's settings, in the schema's order. */
export function settingNames(info: NodeTypeInfo): string[] {
  return Object.keys(info.settings_schema?.properties ?? {});
}

/** What a node without "overridable" lets a run replace: every setting its type does not lock. */
function defaults(info: NodeTypeInfo): string[] {
  const locked = new Set(info.locked_settings ?? []);
  return settingNames(info).filter((name) => !locked.has(name));
}

/** The settings a run may replace on this node. */
export function allowedSettings(node: DocNode, info: NodeTypeInfo): Set<string> {
  const o = node.overridable;
  if (o === true) return new Set(settingNames(info));
  if (o === false) return new Set();
  if (Array.isArray(o)) return new Set(o);
  return new Set(defaults(info));
}

/** The node with {@code name} allowed or not; "overridable" is dropped when the result is the type's default. */
export function withOverridable(node: DocNode, info: NodeTypeInfo, name: string, allowed: boolean): DocNode {
  const next = allowedSettings(node, info);
  if (allowed) next.add(name); else next.delete(name);
  const names = settingNames(info);
  const list = names.filter((n) => next.has(n));
  const base = defaults(info);
  const { overridable: _, ...rest } = node;
  if (list.length === base.length && base.every((n) => next.has(n))) return rest;
  if (list.length === names.length) return { ...rest, overridable: true };
  if (list.length === 0) return { ...rest, overridable: false };
  return { ...rest, overridable: list };
}
