// What the canvas's custom nodes and edges (notes, the edge delete button) call back into: the document changes.
import { createContext } from 'react';

export interface CanvasActions {
  readOnly: boolean;
  deleteEdge: (edgeId: string) => void;
  setNoteText: (noteId: string, text: string) => void;
  resizeNote: (noteId: string, size: { x: number; y: number; width: number; height: number }) => void;
}

export const CanvasContext = createContext<CanvasActions>({ readOnly: true, deleteEdge: () => {}, setNoteText: () => {},
  resizeNote: () => {} });
