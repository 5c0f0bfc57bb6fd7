// Where bench clients type: a paragraph's text in the XmlFragment 'content', as the editor
// does. Our server refuses top-level types its schema does not know (a bare Y.Text 'bench'),
// so every server is given the same shape.
import * as Y from 'yjs';

/** The first paragraph's text node, created on first use (concurrent creation converges). */
export function benchText(doc) {
  const fragment = doc.getXmlFragment('content');
  let paragraph = fragment.get(0);
  if (!paragraph) {
    paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText()]);
    fragment.insert(0, [paragraph]);
  }
  return paragraph.get(0);
}

/** What the clients typed, read without creating anything (benchText would add a paragraph to a doc not yet synced). */
export function typedText(doc) {
  return doc
    .getXmlFragment('content')
    .toArray()
    .map((paragraph) =>
      paragraph instanceof Y.XmlElement
        ? paragraph
            .toArray()
            .map((text) => text.toString())
            .join('')
        : '',
    )
    .join('');
}

/**
 * A long agreement negotiated for months, in the shape the bench clients type into: `pages` of
 * ten 62-word paragraphs, then `rounds` of rewording by three people (12 words a paragraph a
 * round), as tests/support/document.ts's `reword` does. 40 pages, 5 rounds: about 1.1 MB of
 * state, most of it structs and a delete set that every newcomer is sent.
 */
export function rewordedAgreement(pages, rounds) {
  const doc = new Y.Doc();
  // A fixed writer for the first text (as large a number as a browser's random one), as for the rounds:
  // with a random one, the text after five rounds was no earlier state of the text after six (the
  // comparing scenario merged two copies of it).
  doc.clientID = 2_900_000_000;
  const words = 'the parties agree to work together on water access sanitation and hygiene in the river basin each party contributes staff'.split(' ');
  const fragment = doc.getXmlFragment('content');
  const texts = [];
  doc.transact(() => {
    for (let p = 0; p < pages * 10; p++) {
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      text.insert(0, Array.from({ length: 62 }, (_, i) => words[(p * 7 + i * 3) % words.length]).join(' ') + '.');
      paragraph.insert(0, [text]);
      fragment.push([paragraph]);
      texts.push(text);
    }
  });
  let seed = 11;
  const random = (n) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let round = 0; round < rounds; round++) {
    doc.clientID = 900_000 + (round % 3);
    doc.transact(() => {
      for (const text of texts) {
        for (let edit = 0; edit < 12; edit++) {
          const at = random(text.length - 8);
          text.delete(at, 1 + random(6));
          text.insert(at, ['shall', 'may', 'jointly', 'each year'][random(4)]);
        }
      }
    });
  }
  return doc;
}

/**
 * A version of a much-reworded agreement and what came after it: the state after `rounds` rounds
 * (stored, then taken as a version) and the round after, as an update on top of it (the live text's log).
 */
export function versionAndNextRound(pages, rounds) {
  const version = Y.encodeStateAsUpdate(rewordedAgreement(pages, rounds));
  const nextRound = Y.diffUpdate(Y.encodeStateAsUpdate(rewordedAgreement(pages, rounds + 1)), Y.encodeStateVectorFromUpdate(version));
  return { version, nextRound };
}
