import { useRef, useState, type FormEvent } from 'react';
import { ApiError, createAgreement } from '../api';
import { saveHeldLink } from '../links';
import { navigate } from '../router';
import { keepFreshLink } from '../people/freshLink';
import { Field } from '../ui/Field';
import { PartyRows, newPartyRow, type PartyDraft } from './PartyRows';
import { TemplateChoice } from './TemplateChoice';
import type { TemplateName } from '#shared/template';

const NAME_KEY = 'cg:my-name';

function rememberedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Start a new agreement; the creator becomes its broker. */
export function CreateAgreementForm() {
  const nextKey = useRef(2);
  const newKey = () => nextKey.current++;
  const [title, setTitle] = useState('');
  const [name, setName] = useState(rememberedName);
  const [parties, setParties] = useState<PartyDraft[]>(() => [newPartyRow(0, 0), newPartyRow(1, 1)]);
  const [template, setTemplate] = useState<TemplateName>('partnering');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cleanTitle = title.trim();
    if (!cleanTitle) return setError('Give the agreement a title.');
    const named = parties.filter((p) => p.name.trim());
    const creatorName = name.trim() || undefined;
    setBusy(true);
    setError(null);
    try {
      const created = await createAgreement({
        title: cleanTitle,
        parties: named.map((p) => ({ name: p.name.trim(), sector: p.sector })),
        creatorName,
        template,
      });
      saveHeldLink({ id: created.id, title: created.title, token: created.token, role: 'broker', name: creatorName ?? 'Broker' });
      try {
        if (creatorName) localStorage.setItem(NAME_KEY, creatorName);
      } catch {
        // not essential
      }
      // Shown once on the agreement page, so the broker can keep it for another device.
      keepFreshLink(created.id, created.url);
      navigate(created.url);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not create the agreement.');
      setBusy(false);
    }
  };

  return (
    <form className="card create-form" onSubmit={submit} noValidate aria-labelledby="create-title">
      <h2 id="create-title" className="card__title">
        Start an agreement
      </h2>
      <Field label="Title">
        {(control) => (
          <input
            {...control}
            name="title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="e.g. Clean water for Kisumu schools"
            maxLength={200}
            required
            autoFocus
          />
        )}
      </Field>
      <PartyRows rows={parties} onChange={setParties} newKey={newKey} />
      <TemplateChoice value={template} onChange={setTemplate} />
      <Field label="Your name" hint="You will run the sessions as the broker and can invite the others.">
        {(control) => (
          <input
            {...control}
            name="creatorName"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Jo Brennan"
            maxLength={120}
            autoComplete="name"
          />
        )}
      </Field>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create agreement'}
      </button>
    </form>
  );
}
