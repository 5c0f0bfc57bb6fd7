/**
 * Loads the browser's locale data while the agreement's page waits for its code and text over the network.
 * Chromium loads it on a page's first `Intl` formatter or `localeCompare` (40 to 70 ms here), and the page
 * needs it before it is usable (a date shown, people sorted by name): paid then, inside the tasks that build
 * the page and show the text. Asked for right after the requests start, it runs in the wait for their
 * answers; arrived first, they wait no longer than they would have for the same work later.
 */
export function warmLocaleDataWhileWaiting(): void {
  setTimeout(() => {
    // eslint-disable-next-line no-restricted-syntax -- no date is shown: this only loads the locale data When.tsx formats with.
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(0);
    'a'.localeCompare('b');
  }, 0);
}
