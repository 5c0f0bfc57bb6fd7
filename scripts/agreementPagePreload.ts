import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin, Rollup } from 'vite';

type OutputBundle = Rollup.OutputBundle;
type OutputChunk = Rollup.OutputChunk;

/** The page an agreement's link opens: index.html that also asks for the agreement page's code. */
export const AGREEMENT_PAGE_HTML = 'agreement.html';

/** The modules an agreement's page needs at once, which the entry imports only when it runs. */
const FIRST_NEEDS = ['/client/src/agreement/AgreementPage.tsx', '/client/src/session/earlySession.ts'];

function chunkOf(bundle: OutputBundle, moduleEnding: string): OutputChunk {
  // A module imported both statically and dynamically sits in a shared chunk, which is no module's facade.
  const chunk = Object.values(bundle).find((file): file is OutputChunk => file.type === 'chunk' && file.moduleIds.some((id) => id.endsWith(moduleEnding)));
  if (!chunk) throw new Error(`agreementPagePreload: no chunk for ${moduleEnding} (was it renamed?)`);
  return chunk;
}

/** A chunk and the chunks it imports statically, each once. */
function withImports(bundle: OutputBundle, chunk: OutputChunk, into: Set<string>): void {
  if (into.has(chunk.fileName)) return;
  into.add(chunk.fileName);
  for (const imported of chunk.imports) {
    const next = bundle[imported];
    if (next?.type === 'chunk') withImports(bundle, next, into);
  }
}

/**
 * Writes agreement.html beside index.html, with the agreement page's code (and its stylesheet) asked for
 * from the page itself. The entry asks for them as soon as it runs (main.tsx), but it runs only once it has
 * arrived: on a link with a long round trip (a phone on 3G) that was a round trip and more lost before the
 * largest download started. The server sends this page for /a/<id> only, so the start page downloads none
 * of the editor.
 */
export function agreementPagePreload(): Plugin {
  let outDir = '';
  let links = '';
  return {
    name: 'common-ground:agreement-page-preload',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((file): file is OutputChunk => file.type === 'chunk' && file.isEntry);
      const alreadyLoaded = new Set<string>();
      if (entry) withImports(bundle, entry, alreadyLoaded);
      const scripts = new Set<string>();
      const styles = new Set<string>();
      for (const ending of FIRST_NEEDS) {
        const found = new Set<string>();
        withImports(bundle, chunkOf(bundle, ending), found);
        for (const fileName of found) {
          if (alreadyLoaded.has(fileName)) continue;
          scripts.add(fileName);
          const chunk = bundle[fileName] as OutputChunk & { viteMetadata?: { importedCss: Set<string> } };
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
        }
      }
      links = [
        ...[...scripts].map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`),
        // Fetched now, applied when the page's code adds it (Vite's loader does, with crossorigin: a
        // preload without it would not be reused): no delay to the first paint.
        ...[...styles].map((file) => `<link rel="preload" as="style" crossorigin href="/${file}">`),
      ].join('\n    ');
    },
    writeBundle() {
      const index = readFileSync(join(outDir, 'index.html'), 'utf8');
      if (!index.includes('</head>')) throw new Error('agreementPagePreload: index.html has no </head>');
      writeFileSync(join(outDir, AGREEMENT_PAGE_HTML), index.replace('</head>', `  ${links}\n  </head>`));
    },
  };
}
