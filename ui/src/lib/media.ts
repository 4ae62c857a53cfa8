// Media in a result: the files the image, speech and model nodes store come out as {url, content_type, ...}; the
// Run panel and the task page show the images and play the audio among them.
import type { Json } from './types';

export interface Media { url: string; kind: 'image' | 'audio'; contentType: string }

const LIMIT = 12;

/** The images and audio files a value holds (objects with an http(s) url and an image/ or audio/ content_type), each once, at most 12. */
export function mediaIn(value: Json | undefined): Media[] {
  const found: Media[] = [];
  const seen = new Set<string>();
  const walk = (v: Json | undefined, depth: number) => {
    if (v === null || v === undefined || typeof v !== 'object' || depth > 6 || found.length >= LIMIT) return;
    if (Array.isArray(v)) { v.forEach((item) => walk(item, depth + 1)); return; }
    const url = v.url;
    const type = v.content_type;
    if (typeof url === 'string' && typeof type === 'string' && /^https?:\/\//i.test(url) && !seen.has(url)) {
      const kind = type.startsWith('image/') ? 'image' : type.startsWith('audio/') ? 'audio' : null;
      if (kind) { seen.add(url); found.push({ url, kind, contentType: type }); }
    }
    Object.values(v).forEach((item) => walk(item, depth + 1));
  };
  walk(value, 0);
  return found;
}
