// The builder's keyboard shortcuts, as the `?` panel lists them (docs/builder.md lists the same).

export interface Shortcut { keys: string; what: string }

export const SHORTCUTS: { group: string; items: Shortcut[] }[] = [
  { group: 'Edit', items: [
    { keys: 'Ctrl+Z', what: 'Undo' },
    { keys: 'Ctrl+Shift+Z or Ctrl+Y', what: 'Redo' },
    { keys: 'Ctrl+C', what: 'Copy the selected nodes and notes (as JSON, to paste into any flow)' },
    { keys: 'Ctrl+X', what: 'Cut' },
    { keys: 'Ctrl+V', what: 'Paste, with new ids' },
    { keys: 'Ctrl+D', what: 'Duplicate the selection' },
    { keys: 'Delete or Backspace', what: 'Delete the selected nodes, notes and connections' },
  ] },
  { group: 'Select and move', items: [
    { keys: 'Click', what: 'Select a node (its settings open on the right)' },
    { keys: 'Shift+click', what: 'Add to or take from the selection' },
    { keys: 'Shift+drag', what: 'Select everything in a box' },
    { keys: 'Ctrl+A', what: 'Select all' },
    { keys: 'Drag', what: 'Move the node, or every selected node together' },
  ] },
  { group: 'Canvas', items: [
    { keys: 'Shift+L', what: 'Auto-layout, left to right' },
    { keys: 'Shift+N', what: 'Add a sticky note' },
    { keys: 'Shift+F', what: 'Fit the flow in view' },
    { keys: '[', what: 'Show or hide the node palette' },
    { keys: ']', what: 'Show or hide the side panel' },
    { keys: '?', what: 'This list' },
  ] },
];
