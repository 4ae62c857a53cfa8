// The node palette: search and categories; drag a node onto the canvas, or click it to add it in view.
import { useMemo, useState } from 'react';
import { CATEGORY_ORDER, PLACEHOLDER } from '../lib/catalogue';
import type { NodeTypeInfo } from '../lib/types';

export function Palette({ types, onAdd }: { types: NodeTypeInfo[]; onAdd: (type: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const shown = types.filter((t) => t.type !== PLACEHOLDER).filter((t) => !q || `${t.title} ${t.type} ${t.description} ${t.category}`.toLowerCase().includes(q));
    const byCategory = new Map<string, NodeTypeInfo[]>();
    for (const t of shown) byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t]);
    return [...byCategory.entries()].sort(([a], [b]) => rank(a) - rank(b));
  }, [types, query]);
  return (
    <aside className="palette">
      <input className="search" placeholder="Search nodes" value={query} onChange={(e) => setQuery(e.target.value)} />
      {groups.length === 0 && <p className="muted small">No node type matches “{query}”.</p>}
      {groups.map(([category, list]) => (
        <section key={category}>
          <h4>{category}</h4>
          {list.map((t) => (
            <button type="button" key={t.type} className={`palette-item cat-${t.category}`} title={t.description} draggable
              data-test={`palette-${t.type}`}
              onDragStart={(e) => { e.dataTransfer.setData('application/weft-node', t.type); e.dataTransfer.effectAllowed = 'move'; }}
              onClick={() => onAdd(t.type)}>
              <span className="palette-title">{t.title}</span>
              <span className="palette-desc">{t.description}</span>
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}

const rank = (category: string) => {
  const i = CATEGORY_ORDER.indexOf(category);
  return i < 0 ? CATEGORY_ORDER.length : i;
};
