// Loaded into the page before the app by loadTimeline.ts only (addInitScript({ path })), beside instrument.js: the
// page's first use of the browser's locale data (an Intl formatter made, a localeCompare). Chromium loads the data
// then, 40 to 70 ms here; the timeline prints when, and how long that first use took (client/src/ui/warmLocaleData.ts).
// Kept out of instrument.js so the pages run.ts measures keystrokes on call the browser's own functions.
(() => {
  const bench = window.__bench;
  bench.localeData = null;
  const firstLocaleUse = (what, use) => {
    if (bench.localeData) return use();
    const start = performance.now();
    const result = use();
    bench.localeData = { what, start, duration: performance.now() - start };
    return result;
  };
  for (const name of ['DateTimeFormat', 'RelativeTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'ListFormat', 'Segmenter']) {
    const Native = Intl[name];
    if (typeof Native !== 'function') continue;
    const Made = function (...args) {
      return firstLocaleUse(`Intl.${name}`, () => new Native(...args));
    };
    Made.prototype = Native.prototype;
    // Its static methods (supportedLocalesOf) are the native one's.
    Object.setPrototypeOf(Made, Native);
    Intl[name] = Made;
  }
  const localeCompare = String.prototype.localeCompare;
  String.prototype.localeCompare = function (...args) {
    return firstLocaleUse('localeCompare', () => localeCompare.apply(this, args));
  };
})();
