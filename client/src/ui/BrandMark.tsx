/**
 * The product's mark (the same drawing as the tab's icon, client/src/favicon.svg), drawn in the
 * page. As the header's CSS background it was an image: each header that showed it made the
 * browser build a separate SVG document for it on the main thread (5 to 12 ms each, up to three
 * times while an agreement opens) and, on a first visit, waited for its download.
 */
export function BrandMark() {
  return (
    <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#1d3a4f" />
      <circle cx="12.5" cy="16" r="7" fill="none" stroke="#7fc4b8" strokeWidth="2.6" />
      <circle cx="19.5" cy="16" r="7" fill="none" stroke="#f2c14e" strokeWidth="2.6" />
    </svg>
  );
}
