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
