// The tab's icon, as markup: the mark is the same drawing, from the same file.
import markup from '../favicon.svg?raw';

/**
 * The product's mark, drawn in the page. As the header's CSS background it was an image: each
 * header that showed it made the browser build a separate SVG document for it on the main thread
 * (4 to 12 ms each, twice while an agreement opens) and, on a first visit, waited for its download.
 * The markup is our own file's, inlined by the build.
 */
export function BrandMark() {
  return <span className="brand__mark" aria-hidden="true" dangerouslySetInnerHTML={{ __html: markup }} />;
}
