/**
 * The creator's own link, handed from the create form to the agreement page in memory only
 * (navigation stays in the page), so it can be shown once and is never written to storage.
 */
let fresh: { agreementId: string; url: string } | null = null;

export function keepFreshLink(agreementId: string, url: string): void {
  fresh = { agreementId, url };
}

/** The link, once: a second call (or a reload) gets null. */
export function takeFreshLink(agreementId: string): string | null {
  if (fresh?.agreementId !== agreementId) return null;
  const { url } = fresh;
  fresh = null;
  return url;
}
