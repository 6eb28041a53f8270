/**
 * Escapes text that came from the request (order displays, allergy text) before it goes into
 * GitHub Flavored Markdown (§Card `detail`), so an EHR-supplied name cannot inject links or HTML.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Upper-cases the first letter (ingredient names are lower case in RxNorm style). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
