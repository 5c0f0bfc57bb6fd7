/** Elements that can take the focus for a keyboard user who lost it: a card, a group of fields, a panel, the page's parts. */
const PLACES = 'article, fieldset, section, aside, main, [tabindex]';

/**
 * Keeps the keyboard's place when the focused control goes away under it: a button disabled while
 * its command runs (Agree, Raise hand) or a card removed once done with (a resolved thread, an
 * accepted suggestion). The browser drops the focus to the page's start, and a person on the
 * keyboard or a screen reader had to find their way back past every control above. The focus goes
 * back to the control once it is enabled again, or else to the nearest part still there (its
 * card, its panel). A blur the person chose (a click elsewhere, another window) is left alone.
 */
export function keepFocusPlace(): void {
  document.addEventListener('focusout', (event) => {
    const lost = event.target;
    if (event.relatedTarget || !(lost instanceof HTMLElement)) return;
    const places: HTMLElement[] = [];
    for (let el = lost.parentElement?.closest<HTMLElement>(PLACES); el; el = el.parentElement?.closest<HTMLElement>(PLACES)) places.push(el);
    const gone = () => !lost.isConnected || (lost as HTMLButtonElement).disabled;
    let tries = 0;
    const restore = () => {
      if (document.activeElement !== document.body) return;
      // Disabled while its command runs: wait (up to 20 s) for it to come back, or to be removed.
      if (lost.isConnected && (lost as HTMLButtonElement).disabled && ++tries < 100) return void setTimeout(restore, 200);
      const target = gone() ? places.find((place) => place.isConnected) : lost;
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
      target.focus({ preventScroll: true });
    };
    // Told apart after the event: a removed or disabled control, not a blur the person chose.
    setTimeout(() => gone() && restore());
  });
}
