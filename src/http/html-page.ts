import type { Response } from 'express';

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Headers of every server-rendered page: no framing except the configured ancestors (RFC 9700 §4.16,
 * RFC 6749 §10.13), no Referer leaking codes, launches or link tokens (RFC 9700 §4.2.4), no caching.
 * No third-party resources: everything is inline and the CSP allows nothing else.
 */
export function setPageHeaders(res: Response, frameAncestors: readonly string[] = []): void {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors ${ancestors}`);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
}

/** A self-contained page around `bodyHtml` (already escaped by the caller). */
export function htmlPage(title: string, bodyHtml: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Hookwarden</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1c1f23}label{display:block;margin:.75rem 0}
input,select{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b3261e}</style></head>
<body><h1>${escapeHtml(title)}</h1>${bodyHtml}</body></html>`;
}
