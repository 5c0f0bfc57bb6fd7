/**
 * Links in the agreement text are written by any editor straight into the Yjs document, so
 * their targets are checked wherever they are shown or exported: only web and mail links
 * survive. A `javascript:` (or `data:`, `vbscript:`, …) link is reduced to its text.
 */
export const SAFE_LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;

/** The link target, normalised, when it is an absolute http, https or mailto URL; otherwise null. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string' || href.length === 0 || href.length > 4096) return null;
  let url: URL;
  try {
    // The URL parser drops the tabs, newlines and leading controls a browser would drop, so
    // "java\tscript:" is read as the browser would read it.
    url = new URL(href);
  } catch {
    return null;
  }
  return (SAFE_LINK_PROTOCOLS as readonly string[]).includes(url.protocol) ? url.href : null;
}

/**
 * For the editor's Link extension: a target with a scheme must be a safe one; one without a
 * scheme ("www.example.org", typed text the autolinker looks at) is left to the default check.
 */
export function allowedInEditor(url: unknown, defaultValidate: (url: string) => boolean): boolean {
  // Another client may have stored anything: a target that is no text threw in every editor reading it.
  if (typeof url !== 'string') return false;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(url.trim());
  return defaultValidate(url) && (!hasScheme || safeHref(url) !== null);
}
