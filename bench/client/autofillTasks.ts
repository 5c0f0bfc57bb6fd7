// npx tsx bench/client/autofillTasks.ts bench/profiles/load-timeline-1.trace.json [more traces]
// Chromium's autofill in a load trace (`load-timeline --trace`): its tasks on the page's main thread
// (reading the page's forms, `ExtractFormsAndNotifyPasswordAutofillAgent`, and a changed field's form,
// `FormControlDidChange`), their sum and the longest. It grows with the form fields the page shows.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadedPageMainThread, type TraceEvent } from './trace';

const AUTOFILL_TASK = /ExtractForms|FormControlDidChange/;

for (const file of process.argv.slice(2)) {
  const page = loadedPageMainThread(JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] });
  if (!page) throw new Error(`no navigation in ${file}`);
  const tasks = page.onMain
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && AUTOFILL_TASK.test(String(e.args?.src_func ?? '')))
    .map((e) => ({ at: page.at(e.ts), ms: (e.dur ?? 0) / 1000, what: String(e.args?.src_func) }));
  const total = tasks.reduce((sum, t) => sum + t.ms, 0);
  const longest = Math.max(0, ...tasks.map((t) => t.ms));
  console.log(`${basename(file)}: autofill ${total.toFixed(0)} ms in ${tasks.length} tasks, the longest ${longest.toFixed(0)} ms`);
  for (const t of tasks) console.log(`  ${t.at.toFixed(0).padStart(6)}  ${t.ms.toFixed(1).padStart(6)} ms  ${t.what}`);
}
