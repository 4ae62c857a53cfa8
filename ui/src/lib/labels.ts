// How the Run form names a start node's input: by its title, with the field name beside it when they differ.

export interface InputLabel { title: string; name: string | null }

/** The input's title (else its name) and the name to show small, or null when the title is the name. */
export function inputLabel(name: string, spec: unknown): InputLabel {
  const title = spec && typeof spec === 'object' && typeof (spec as { title?: unknown }).title === 'string'
    ? ((spec as { title: string }).title).trim() : '';
  return title && title !== name ? { title, name } : { title: name, name: null };
}
