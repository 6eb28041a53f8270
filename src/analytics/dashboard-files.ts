import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard's static files (served at DASHBOARD_PATH). */
export const DASHBOARD_FILES = fileURLToPath(new URL('./dashboard/', import.meta.url));

/** uPlot's browser build, from the installed npm package: the dashboard loads nothing from a CDN. */
export function chartLibraryFiles(): string {
  return dirname(createRequire(import.meta.url).resolve('uplot'));
}

/** Served with the dashboard: its scripts and styles only from this origin, never framed. */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};
