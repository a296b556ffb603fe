/**
 * A search snippet: escaped text whose only markup is <mark>…</mark>. Split on the marks and shown as
 * text nodes (the escapes decoded here, by name) — never parsed as HTML.
 */
import type { ReactNode } from 'react';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", apos: "'" };
const unescape = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39|#x27|apos);/g, (_, e: string) => ENTITIES[e]!);

export function Snippet({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  text.split(/(<mark>[\s\S]*?<\/mark>)/).forEach((part, i) => {
    const m = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
    if (m) parts.push(<mark key={i}>{unescape(m[1]!)}</mark>);
    else if (part) parts.push(unescape(part.replace(/<\/?mark>/g, '')));
  });
  return <span className="snippet">{parts}</span>;
}
