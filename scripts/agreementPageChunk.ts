import type { Plugin, Rolldown } from 'vite';

/** The modules whose own chunks load beside (or instead of) the agreement page's: a new one of those belongs here. */
const LOADED_APART = ['client/src/main.tsx', 'client/src/home/HomePage.tsx', 'client/src/session/earlySession.ts'];
const PAGE = 'client/src/agreement/agreementPageEntry.ts';

type ModuleGraph = Pick<Rolldown.PluginContext, 'getModuleInfo'>;

function staticallyReachable(graph: ModuleGraph, from: string): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(graph.getModuleInfo(id)?.importedIds ?? []));
  }
  return seen;
}

/**
 * Keeps what the agreement page needs at first in one chunk of its own, so a view it loads on demand
 * (React.lazy) takes only its own code out of the page. Rolldown does not yet see that such a view can
 * use modules its importer has already loaded (rolldown issues 9963, 10731): it moved the modules they
 * share into common chunks the page then fetched as well, and making the minutes view lazy cost 3 KB
 * instead of saving one. The group holds every module the page reaches by static imports that neither
 * the entry, the home page nor the early session reaches (those load in chunks of their own), so each
 * of its modules' imports is in the group or in a chunk the page loads anyway: it needs no more.
 * One module escapes it: lib0/eventloop, which the early session reaches (through lib0/logging) but
 * leaves out when tree-shaken, lands in the page's small entry chunk, and the group imports it back.
 * That cycle is harmless while no module of the group calls it as it loads (y-tiptap calls it later);
 * every browser test opens an agreement page, so a change that breaks it fails them all.
 */
export function agreementPageChunk(): { plugin: Plugin; group: Rolldown.CodeSplittingGroup } {
  let pageModules = new Set<string>();
  const find = (ids: string[], path: string) => ids.find((id) => id.endsWith(path));
  return {
    plugin: {
      name: 'common-ground:agreement-page-chunk',
      apply: 'build',
      buildEnd() {
        const ids = [...this.getModuleIds()];
        const page = find(ids, PAGE);
        if (!page) return;
        pageModules = staticallyReachable(this, page);
        // The entry (a bare re-export) stays its own chunk's: grouped, it left a facade naming a namespace it never declared.
        pageModules.delete(page);
        for (const path of LOADED_APART) {
          const entry = find(ids, path);
          if (entry) for (const id of staticallyReachable(this, entry)) pageModules.delete(id);
        }
      },
    },
    // Not its dependencies as well: those would pull React and Yjs out of the chunks the entry and the early session load.
    group: { name: 'AgreementPage', test: (id) => pageModules.has(id), includeDependenciesRecursively: false },
  };
}
