// Helpers of the MCP servers page.

/** The argument names a tool's input schema lists, required ones first, optional ones marked with '?'. */
export function argumentNames(schema: unknown): string {
  const s = (schema ?? {}) as { properties?: Record<string, unknown>; required?: string[] };
  const names = Object.keys(s.properties ?? {});
  const required = new Set(s.required ?? []);
  return names.sort((a, b) => Number(required.has(b)) - Number(required.has(a)))
    .map((n) => (required.has(n) ? n : `${n}?`)).join(', ');
}
