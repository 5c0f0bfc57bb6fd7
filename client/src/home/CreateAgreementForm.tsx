import { useRef, useState, type FormEvent } from 'react';
import { ApiError, createAgreement } from '../api';
import { saveHeldLink } from '../links';
import { navigate } from '../router';
import { keepFreshLink } from '../people/freshLink';
import { Field } from '../ui/Field';
import { PartyRows, newPartyRow, type PartyDraft } from './PartyRows';
import { TemplateChoice } from './TemplateChoice';
import type { TemplateName } from '#shared/template';
import { MAX_TITLE_LENGTH } from '#shared/protocol';
import { useHoldPageOpen } from '../ui/leaveGuard';
import { FormError } from '../ui/FormError';

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
  const [parties, setParties] = useState<PartyDraft[]>(() => {
    const first = newPartyRow(0, []);
    return [first, newPartyRow(1, [first])];
  });
  // A new agreement being set up lives in this form until it is created (the remembered name aside).
  useHoldPageOpen(title.trim() !== '' || parties.some((party) => party.name.trim() !== ''));
  const [template, setTemplate] = useState<TemplateName>('partnering');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cleanTitle = title.trim();
    if (!cleanTitle) return setError('Give the agreement a title.');
    if (cleanTitle.length > MAX_TITLE_LENGTH) return setError(`The title is ${cleanTitle.length} characters long; shorten it to ${MAX_TITLE_LENGTH} or fewer.`);
    // A row left without a name is a mistake to point out, not a party to drop without a word.
    const unnamed = parties.findIndex((p) => !p.name.trim());
    if (unnamed >= 0) return setError(`Party ${unnamed + 1} has no name: name it or remove its row.`);
    const named = parties;
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
      <Field
        label="Title"
        hint={`Up to ${MAX_TITLE_LENGTH} characters.`}
        warning={
          title.trim().length > MAX_TITLE_LENGTH
            ? `${title.trim().length - MAX_TITLE_LENGTH} characters too long: shorten the title to ${MAX_TITLE_LENGTH} or fewer.`
            : undefined
        }
      >
        {(control) => (
          <input
            {...control}
            name="title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="e.g. Clean water for Kisumu schools"
            aria-invalid={title.trim().length > MAX_TITLE_LENGTH}
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
      <FormError message={error} />
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create agreement'}
      </button>
    </form>
  );
}
