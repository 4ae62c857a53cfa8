// The `?` panel: every keyboard shortcut of the builder.
import { SHORTCUTS } from '../lib/shortcuts';
import { Button, Dialog } from '../kit/kit';

export function ShortcutsPanel({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" wide onClose={onClose} footer={<Button onClick={onClose}>Close</Button>}>
      <div className="shortcuts" data-test="shortcuts">
        {SHORTCUTS.map(({ group, items }) => (
          <section key={group}>
            <h4>{group}</h4>
            <dl>{items.map((s) => (
              <div key={s.keys} className="shortcut"><dt>{s.keys.split(/( or |\+)/).map((k, i) => (
                k === '+' || k === ' or ' ? <span key={i} className="muted">{k}</span> : <kbd key={i}>{k}</kbd>))}</dt>
                <dd>{s.what}</dd></div>
            ))}</dl>
          </section>
        ))}
        <p className="muted small">On a Mac, ⌘ works wherever Ctrl is written.</p>
      </div>
    </Dialog>
  );
}
