/** The headers that hand a file to the browser as a download under its name. */
export function attachmentHeaders(file: { name: string; contentType: string }): Record<string, string> {
  return { 'content-type': file.contentType, 'content-disposition': attachmentDisposition(file.name) };
}

/**
 * The Content-Disposition of a download named `name` (RFC 6266): the name whole in `filename*`
 * (RFC 8187), and a plain ASCII one for clients that read only `filename`.
 */
export function attachmentDisposition(name: string): string {
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${extendedValue(name)}`;
}

/** `encodeURIComponent` leaves ' ( ) * as they are; RFC 8187's attr-char allows none of them. */
function extendedValue(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Anything outside printable ASCII, and the quote and backslash a quoted string cannot hold bare, become `_`. */
function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
