/** A side panel whose code is still on its way (loaded on demand): its title where it will be, marked busy. */
export function PanelOpening({ title }: { title: string }) {
  return (
    <section className="panel" aria-busy="true" aria-label={title}>
      <h2 className="panel__title">{title}</h2>
      <p className="panel__hint">Opening…</p>
    </section>
  );
}
