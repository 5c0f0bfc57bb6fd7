import { safeHref } from '#shared/safeLinks';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { describe, embeddedProof, type ExportInput } from './meta';
import { readableContent } from './readable';
import { listNumbering } from './listNumbering';

const TAGS: Record<string, string> = {
  paragraph: 'p',
  bulletList: 'ul',
  listItem: 'li',
  blockquote: 'blockquote',
  horizontalRule: 'hr',
  hardBreak: 'br',
};

const MARK_TAGS: Record<string, string> = { bold: 'strong', italic: 'em', strike: 's', code: 'code', underline: 'u' };

/** A standalone, printable HTML page of a document; every text and attribute is escaped. */
export function toHtml({ meta, content }: ExportInput): string {
  const body = readableContent(content, meta.parties ?? [], meta.agreementTitle, undefined, meta);
  const title = escape(`${meta.agreementTitle}: ${meta.label}`);
  const hashes = [meta.hash, meta.prevHash].filter((hash): hash is string => !!hash);
  const header = describe(meta)
    .map((line) => {
      const hash = hashes.find((h) => line.endsWith(`: ${h}`));
      return `<li>${hash ? `${escape(line.slice(0, -hash.length))}${groupedHash(hash)}` : escape(line)}</li>`;
    })
    .join('');
  // The style keeps the text's spaces and empty lines as the editor shows them (pre-wrap), and wraps
  // a very long word instead of running it off the page (and off a printed one).
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}
.cg-meta{font:13px/1.4 system-ui,sans-serif;color:#444;border:1px solid #ccc;padding:.5rem 1rem;list-style:none;overflow-wrap:anywhere}
.cg-hash span:not(:last-child){margin-right:.6ch}
h1,h2,h3,h4,h5,h6,p,li{unicode-bidi:plaintext}
main{overflow-wrap:anywhere}main :is(p,li,h2,h3,h4,h5,h6){white-space:pre-wrap}main p:empty{min-height:1.5em}
@media print{body{margin:0;max-width:none}.cg-meta{border-color:#999}}</style></head>
<body><h1>${escape(meta.agreementTitle)}</h1><ul class="cg-meta">${header}</ul>
<main>${nodes(body.content ?? [])}</main>
<script type="application/json" id="common-ground-fingerprint">${embeddedProof({ meta, content })}</script>
</body></html>
`;
}

/**
 * A fingerprint as the app's History shows it (client/src/history/Fingerprint.tsx): groups of
 * eight that a narrow line breaks between, never leaving one character alone. The groups are
 * spaced by style, so a selected or copied fingerprint is the very hex `scripts/fingerprint.ts` prints.
 */
function groupedHash(hash: string): string {
  const groups = hash.match(/.{1,8}/g) ?? [];
  return `<code class="cg-hash">${groups.map((group) => `<span>${escape(group)}</span>`).join('<wbr>')}</code>`;
}

function nodes(list: ProseMirrorJSON[]): string {
  return list.map(node).join('');
}

function node(n: ProseMirrorJSON): string {
  if (n.type === 'text') return text(n);
  if (n.type === 'heading') {
    const level = Math.min(6, Number(n.attrs?.level ?? 1) + 1);
    return `<h${level}>${nodes(n.content ?? [])}</h${level}>`;
  }
  if (n.type === 'orderedList') {
    // Numbered as in the editor: from its first number, in letters or roman numerals when it was so.
    const { start, type } = listNumbering(n.attrs);
    return `<ol${start !== 1 ? ` start="${start}"` : ''}${type ? ` type="${type}"` : ''}>${nodes(n.content ?? [])}</ol>`;
  }
  if (n.type === 'codeBlock') return `<pre><code>${escape((n.content ?? []).map((c) => c.text ?? '').join(''))}</code></pre>`;
  const tag = TAGS[n.type];
  if (tag === 'hr' || tag === 'br') return `<${tag}>`;
  if (tag) return `<${tag}>${nodes(n.content ?? [])}</${tag}>`;
  // Blocks this exporter does not know (objective blocks, say) keep their content, named by a class.
  return `<div class="cg-${escape(n.type)}">${nodes(n.content ?? [])}</div>`;
}

function text(n: ProseMirrorJSON): string {
  let out = escape(n.text ?? '');
  for (const mark of n.marks ?? []) {
    if (mark.type === 'link') {
      const href = safeHref(mark.attrs?.href);
      // An unsafe target leaves the text, unlinked.
      if (href) out = `<a href="${escape(href)}" rel="noopener noreferrer">${out}</a>`;
    } else if (MARK_TAGS[mark.type]) out = `<${MARK_TAGS[mark.type]}>${out}</${MARK_TAGS[mark.type]}>`;
  }
  return out;
}

export function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
