import type { MouseEvent } from 'react';

/**
 * The first stops of the keyboard: straight to the text, or to the side panel. Focus is moved
 * by hand rather than by the link's fragment, which would replace the `#token=` of the address.
 */
export function SkipLinks({ targets }: { targets: { id: string; label: string }[] }) {
  const go = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    event.preventDefault();
    const target = document.getElementById(id);
    target?.focus();
    target?.scrollIntoView({ block: 'start' });
  };
  return (
    <nav className="skip-links" aria-label="Skip links">
      {targets.map((t) => (
        <a key={t.id} href={`#${t.id}`} onClick={(e) => go(e, t.id)}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
