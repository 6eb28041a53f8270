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

/**
 * A card detail of separate blocks (paragraphs or lists). GFM: a single newline inside a paragraph is a
 * soft line break, rendered as a space (CommonMark §6.7), so lines meant apart are blocks apart (issue 10.7).
 */
export function blocks(...parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join('\n\n');
}

/** A GFM bullet list, one item per line; empty when there are no items. */
export function bulletList(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}
