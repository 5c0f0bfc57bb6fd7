import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { JSONContent } from '@tiptap/core';
import { cast, typeAtEnd, useStage, waitForText, writeBeforeOpening } from './browser';
import { objective, paragraph } from '../support/document';
import { waitFor } from '../support/poll';
import { api } from '../support/server';

const stage = useStage();

/** Pastes as Ctrl+V does: a paste event carrying the clipboard's HTML and plain text, at the caret. */
async function paste(page: Page, html: string, text: string): Promise<void> {
  await page.locator('.ProseMirror').evaluate(
    (el, { html, text }) => {
      const data = new DataTransfer();
      if (html) data.setData('text/html', html);
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { html, text },
  );
}

const textJSON = (page: Page): Promise<JSONContent> =>
  page.locator('.ProseMirror').evaluate((el) => (el as HTMLElement & { editor: { getJSON(): JSONContent } }).editor.getJSON());

const ALPHA = 'abcdefghijklmnopqrstuvwxyz';
const ROMAN: [number, string][] = [
  [10, 'x'],
  [9, 'ix'],
  [5, 'v'],
  [4, 'iv'],
  [1, 'i'],
];
const roman = (n: number) =>
  ROMAN.reduce((s, [v, r]) => {
    for (; n >= v; n -= v) s += r;
    return s;
  }, '');
const numberShown = (n: number, type: string | null) =>
  type === 'a' ? ALPHA[n - 1] : type === 'A' ? ALPHA[n - 1].toUpperCase() : type === 'i' ? roman(n) : type === 'I' ? roman(n).toUpperCase() : String(n);

/** The text as a person reads it: one line per paragraph or heading, indented by list depth, with the bullet or number the list shows. */
function linesShown(node: JSONContent, depth = 0, marker = ''): string[] {
  if (node.type === 'paragraph' || node.type === 'heading') {
    const words = (node.content ?? []).map((n) => (n.type === 'hardBreak' ? ' / ' : (n.text ?? ''))).join('');
    return [`${'  '.repeat(Math.max(depth - 1, 0))}${marker}${words}`];
  }
  if (node.type === 'bulletList' || node.type === 'orderedList') {
    const start = Number(node.attrs?.start ?? 1);
    return (node.content ?? []).flatMap((item, i) =>
      (item.content ?? []).flatMap((child, j) =>
        linesShown(child, depth + 1, j > 0 ? '' : node.type === 'bulletList' ? '• ' : `${numberShown(start + i, (node.attrs?.type as string) ?? null)}. `),
      ),
    );
  }
  return (node.content ?? []).flatMap((child) => linesShown(child, depth));
}

/** Nia and Ben in one agreement; Nia's caret on an empty line after `intro`, which Ben sees. */
async function twoWriters(intro: string) {
  const c = await cast(stage.server);
  const nia = await stage.join(c.url(c.ngo));
  const ben = await stage.join(c.url(c.business));
  await typeAtEnd(nia.page, intro);
  await nia.page.keyboard.press('Enter');
  await waitForText(ben.page, intro);
  return { nia, ben };
}

/** Nia and Ben in one agreement holding the objective "Safe water"; Nia's page in front, allowed the clipboard. */
async function twoOnAnObjective() {
  const c = await cast(stage.server);
  await writeBeforeOpening(
    stage.server,
    c.fx.agreement.id,
    c.fx.brokerToken,
    { type: 'doc', content: [objective('wells', { title: 'Safe water' }), paragraph('The end.')] },
    'The end',
  );
  const nia = await stage.join(c.url(c.ngo));
  const ben = await stage.join(c.url(c.business));
  await nia.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stage.server.http });
  await nia.page.bringToFront();
  return { nia, ben };
}

/** The text as `page` shows it, one line a paragraph, heading or list item (blank lines left out). */
const linesSeen = async (page: Page) => linesShown(await textJSON(page)).filter((line) => line.trim() !== '');

/** What `reader` (Ben) sees, read by `read`, once it sees what `writer` (Nia) does: whatever was pasted has reached him. */
async function seenAlike(writer: Page, reader: Page, read: (page: Page) => Promise<string[]> = linesSeen): Promise<string[]> {
  return waitFor(
    async () => {
      const [written, seen] = [await read(writer), await read(reader)];
      return JSON.stringify(written) === JSON.stringify(seen) ? seen : null;
    },
    { timeoutMs: 10_000, what: 'the same text at both' },
  );
}

/** A Word list paragraph as Word puts it on the clipboard: its number typed in a span the list's style hides. */
const wordItem = (list: string, level: number, marker: string, words: string) =>
  `<p class=MsoListParagraphCxSpMiddle style='margin-left:${36 * level}.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:${list} level${level} lfo1'>` +
  `<![if !supportLists]><span style='font-family:"Courier New";mso-fareast-font-family:"Courier New"'><span style='mso-list:Ignore'>${marker}` +
  `<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>${words}<o:p></o:p></p>`;

/** Words in Word's revision markup (as in wordWithTrackedChanges below): deleted by Ben, or inserted by him. */
const wordDeleted = (words: string) => `<span class=msoDel><del cite="mailto:Ben%20Okafor" datetime="2026-12-01T10:30">${words}</del></span>`;
const wordInserted = (words: string) => `<span class=msoIns><ins cite="mailto:Ben%20Okafor" datetime="2026-12-01T10:31">${words}</ins></span>`;

// A negotiator pasted the obligations from the other party's Word counter-proposal, clauses 3 and 4
// with their (a) and (b), then clauses 2.1 and 2.2: the pasted list read 1, 2, 3, 4 (the sub-points
// numbered in with the clauses, the numbers no longer those the counter-proposal cites), and 2.1 and
// 2.2 came in as bullets with their numbers gone.
it('a numbered list pasted from Word keeps its numbers, its sub-points and numbers it cannot show as a list, for the other person too', async () => {
  const { nia, ben } = await twoWriters('Obligations:');
  const word =
    `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=EN-GB>` +
    wordItem('l0', 1, '3.', 'Deliver water') +
    wordItem('l0', 2, 'a.', 'to the north') +
    wordItem('l0', 2, 'b.', 'to the south') +
    wordItem('l0', 1, '4.', 'Report <b>yearly</b>') +
    `<p class=MsoNormal>Then:<o:p></o:p></p>` +
    wordItem('l1', 2, '2.1.', 'The NGO shall') +
    wordItem('l1', 2, '2.2.', 'The company shall') +
    wordItem('l2', 1, '·', 'Top point') +
    wordItem('l2', 2, 'o', 'Sub point') +
    wordItem('l3', 1, '1.', 'Annex one') +
    wordItem('l3', 1, '2.', 'Annex two') +
    wordItem('l4', 1, '1.', 'Schedule one') +
    `</body></html>`;
  await paste(nia.page, word, '3. Deliver water …');
  expect(await seenAlike(nia.page, ben.page)).toEqual([
    'Obligations:',
    '3. Deliver water',
    '  a. to the north',
    '  b. to the south',
    '4. Report yearly',
    'Then:',
    '2.1. The NGO shall',
    '2.2. The company shall',
    '• Top point',
    '  • Sub point',
    '1. Annex one',
    '2. Annex two',
    '1. Schedule one',
  ]);
  expect(nia.errors.concat(ben.errors)).toEqual([]);
});

// A negotiator pasted a table of indicators from a spreadsheet: the agreement showed
// "IndicatorBaselineTargetWells built1240", every cell run into one word; from Word, each cell
// came as a paragraph of its own, and which baseline belonged to which indicator was gone.
it('a table pasted from a spreadsheet or Word keeps each row on a line of its own with its cells apart', async () => {
  const { nia, ben } = await twoWriters('Indicators:');
  const sheet =
    '<google-sheets-html-origin><table xmlns="http://www.w3.org/1999/xhtml" cellspacing="0" cellpadding="0" dir="ltr" border="1"><colgroup><col width="100"/></colgroup><tbody>' +
    '<tr style="height:21px;"><td style="overflow:hidden;padding:2px 3px;">Indicator</td><td>Baseline</td><td>Target</td></tr>' +
    '<tr><td>Wells built</td><td>12</td><td>40</td></tr></tbody></table>';
  await paste(nia.page, sheet, 'Indicator\tBaseline\tTarget\nWells built\t12\t40');
  await waitForText(ben.page, 'Wells built');
  await nia.page.keyboard.press('Enter');
  const word =
    `<html><body><table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>` +
    `<tr style='mso-yfti-irow:0'><td width=200 valign=top><p class=MsoNormal><b>Indicator</b><o:p></o:p></p></td><td width=200 valign=top><p class=MsoNormal>Due<o:p></o:p></p></td></tr>` +
    `<tr><td><p class=MsoNormal>Girls enrolled<o:p></o:p></p><p class=MsoNormal>(by school)<o:p></o:p></p></td><td><p class=MsoNormal>2027<o:p></o:p></p></td></tr></table></body></html>`;
  await paste(nia.page, word, 'Indicator\tDue\nGirls enrolled (by school)\t2027');
  expect(await seenAlike(nia.page, ben.page)).toEqual([
    'Indicators:',
    'Indicator | Baseline | Target',
    'Wells built | 12 | 40',
    'Indicator | Due',
    'Girls enrolled / (by school) | 2027',
  ]);
});

// A negotiator typed "Annex A:" and pasted the annex's title at once; Ctrl+Z took the paste and the
// words typed before it too. Pasting and typing on at once, Ctrl+Z took both.
it('undo after a paste undoes the paste only, however quickly it came after typing or typing after it', async () => {
  const { nia, ben } = await twoWriters('Scope.');
  await nia.page.keyboard.type('Annex A:');
  await paste(nia.page, '', ' River gauges.');
  await nia.page.keyboard.press('Control+z');
  expect(await seenAlike(nia.page, ben.page)).toEqual(['Scope.', 'Annex A:']);
  await paste(nia.page, '', ' Wells.');
  await nia.page.keyboard.type(' Kept');
  await nia.page.keyboard.press('Control+z');
  expect(await seenAlike(nia.page, ben.page)).toEqual(['Scope.', 'Annex A: Wells.']);
});

/** Clicks into the first objective's `field` and waits for the editor to have the caret there (a paste reads the editor's selection, which follows a click a moment later). */
async function clickInto(page: Page, field: string): Promise<void> {
  await page.locator(`[data-objective-field="${field}"]`).first().click();
  await page.waitForFunction(
    (node) =>
      (document.querySelector('.ProseMirror') as HTMLElement & { editor: { state: { selection: { $from: { parent: { type: { name: string } } } } } } }).editor
        .state.selection.$from.parent.type.name === node,
    `objective${field[0].toUpperCase()}${field.slice(1)}`,
    { polling: 20, timeout: 5_000 },
  );
}

/** The text fields of the first objective, as `field: words` lines (a line break read as " / "). */
async function objectiveFieldsSeen(page: Page): Promise<string[]> {
  const block = (await textJSON(page)).content?.find((node) => node.type === 'objective');
  return (block?.content ?? [])
    .filter((field) => /^objective(Title|Intent|Band|Trigger)$/.test(field.type ?? ''))
    .map((field) => `${field.type}: ${linesShown({ type: 'paragraph', content: field.content }).join('')}`);
}

// A negotiator pasted a two-paragraph clause from the other party's Word draft into an objective's
// intent, and two lines of an e-mail into its band: nothing happened, no words, no message (the
// paste would have split the objective's field, and the guard keeping its fields refused it whole).
it('several paragraphs pasted into an objective’s field come in as its lines, and an objective after it, for the other person too', async () => {
  const c = await cast(stage.server);
  await writeBeforeOpening(
    stage.server,
    c.fx.agreement.id,
    c.fx.brokerToken,
    { type: 'doc', content: [objective('wells', { title: 'Safe water', intent: 'Water for all.' }), paragraph('The end.')] },
    'The end',
  );
  const nia = await stage.join(c.url(c.ngo));
  const ben = await stage.join(c.url(c.business));
  await nia.page.bringToFront();
  await clickInto(nia.page, 'intent');
  await nia.page.keyboard.press('End');
  await nia.page.keyboard.type(' ');
  await paste(
    nia.page,
    `<html><body><p class=MsoNormal>The parties <b>share</b> data.<o:p></o:p></p><p class=MsoNormal>Each quarter.<o:p></o:p></p></body></html>`,
    'The parties share data.\n\nEach quarter.',
  );
  await clickInto(nia.page, 'band');
  await paste(nia.page, '', 'Between 40 and 60 wells\nreviewed yearly');
  expect(await seenAlike(nia.page, ben.page, objectiveFieldsSeen)).toEqual([
    'objectiveTitle: Safe water',
    'objectiveIntent: Water for all. The parties share data. / Each quarter.',
    'objectiveBand: Between 40 and 60 wells / reviewed yearly',
    'objectiveTrigger: ',
  ]);

  const copied = await nia.page.locator('.ProseMirror').evaluate((el) => {
    const { view } = (el as HTMLElement & { editor: { view: import('@tiptap/pm/view').EditorView } }).editor;
    const block = view.state.doc.firstChild!;
    return view.serializeForClipboard(view.state.doc.slice(0, block.nodeSize)).dom.innerHTML;
  });
  await clickInto(nia.page, 'title');
  await paste(nia.page, copied, 'Safe water');
  const ids = () => ben.page.locator('[data-testid="objective"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-objective-id')));
  const both = await waitFor(async () => ((await ids()).length === 2 ? ids() : null), { timeoutMs: 10_000, what: 'the pasted objective at Ben' });
  expect(both[0]).toBe('wells');
  expect(both[1]).toMatch(/^[A-Za-z0-9]{12}$/);
  expect(await linesSeen(ben.page)).toEqual(['The end.']);
});

// A negotiator pasted the indicators of the other party's draft (563 characters) into an objective's
// Indicators: the field kept the first 500 and cut the rest mid-word, and nobody was told.
it('a paste longer than an objective’s owners or indicators take is refused and explained, never cut', async () => {
  const { nia, ben } = await twoOnAnObjective();
  const indicators = nia.page.getByLabel('Indicators of “Safe water”');
  const pasteText = async (text: string) => {
    await nia.page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await indicators.click();
    await nia.page.keyboard.press('Control+v');
  };
  const long = Array.from({ length: 14 }, (_, i) => `Indicator ${i + 1}: wells dug in the district`).join('; ');
  await pasteText(long);
  const refusal = nia.page.getByRole('alert').filter({ hasText: 'Nothing was pasted' });
  await refusal.waitFor({ timeout: 5_000 }).catch(() => undefined);
  expect({ field: await indicators.inputValue(), told: (await refusal.count()) > 0 ? await refusal.textContent() : null }).toEqual({
    field: '',
    told: `That is ${long.length} characters, and the indicators hold at most 500 in all. Nothing was pasted.`,
  });
  // What fits goes in, and the notice goes.
  await pasteText('Girls enrolled: 500\nWells built: 40');
  await waitFor(async () => (await ben.page.getByLabel('Indicators of “Safe water”').inputValue()) === 'Girls enrolled: 500 Wells built: 40', {
    timeoutMs: 10_000,
    what: 'the indicators at Ben',
  });
  expect(await refusal.count()).toBe(0);
});

/** A clause as Word puts it on the clipboard with a comment of the person's own side on it: its anchor in the text, its words in a list after. */
const wordWithComment =
  `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=EN-GB><div class=WordSection1>` +
  `<p class=MsoNormal><a style='mso-comment-reference:NO_1;mso-comment-date:20261205T1030'>The fee is 4% of the grant</a>` +
  `<span class=MsoCommentReference><span style='font-size:8.0pt'><a style='mso-comment-reference:NO_1'>&nbsp;</a><span style='mso-special-character:comment'>&nbsp;` +
  `<![if !supportAnnotations]><a href="#_msocom_1" language=JavaScript id="_anchor_1" class=msocomanchor name="_msoanchor_1">[NO1]</a><![endif]></span></span></span>, paid yearly.<o:p></o:p></p></div>` +
  `<div style='mso-element:comment-list'><![if !supportAnnotations]><hr class=msocomoff align=left size=1 width="33%"><![endif]>` +
  `<div style='mso-element:comment'><![if !supportAnnotations]><div id="_com_1" class=msocomtxt language=JavaScript><![endif]>` +
  `<div><![if !supportAnnotations]><a name="_msocom_1"></a><![endif]><span style='mso-comment-author:"Nia Otieno"'></span>` +
  `<p class=MsoCommentText><span class=MsoCommentReference><span style='font-size:8.0pt'><span style='mso-special-character:comment'>&nbsp;</span></span></span>Our floor is 3%: do not go below.<o:p></o:p></p>` +
  `</div><![if !supportAnnotations]></div><![endif]></div></div></body></html>`;

// A negotiator copied a clause from her side's Word draft, which held her side's comment on it, and
// pasted it into the agreement: the comment came in as text of the agreement, "[NO1]" in the clause and
// "Our floor is 3%: do not go below." below it, and the other party read her side's floor.
it('Word’s comments on what is pasted stay out of the text, and the person is told', async () => {
  const { nia, ben } = await twoWriters('Fees:');
  await paste(nia.page, wordWithComment, 'The fee is 4% of the grant, paid yearly.');
  const notice = nia.page.getByTestId('paste-left-out');
  await notice.waitFor({ timeout: 5_000 }).catch(() => undefined);
  expect({ seen: await seenAlike(nia.page, ben.page), told: (await notice.count()) > 0 ? await notice.innerText() : null }).toEqual({
    seen: ['Fees:', 'The fee is 4% of the grant, paid yearly.'],
    told: expect.stringContaining('1 Word comment in what you pasted was left out of the text'),
  });
  // A later paste that left nothing out, as HTML or as plain text, is not said to have: the notice was about the one before.
  for (const [html, text] of [
    ['<p>Paid in two parts.</p>', 'Paid in two parts.'],
    ['', 'Paid in euros.'],
  ]) {
    await paste(nia.page, wordWithComment, 'The fee is 4% of the grant, paid yearly.');
    await notice.waitFor({ timeout: 5_000 });
    await paste(nia.page, html, text);
    await waitFor(async () => (await notice.count()) === 0, { what: `the notice gone after pasting “${text}”`, timeoutMs: 5_000 });
  }
});

/** The objectives of the text as `id · date · title` lines (an id the editor makes shown as "new id"). */
async function objectivesSeen(page: Page): Promise<string[]> {
  return ((await textJSON(page)).content ?? [])
    .filter((node) => node.type === 'objective')
    .map((node) => {
      const id = String(node.attrs?.id);
      return `${/^[A-Za-z0-9]{12}$/.test(id) ? 'new id' : id} · ${String(node.attrs?.targetDate) || 'no date'} · ${linesShown({ type: 'paragraph', content: node.content?.[0]?.content }).join('')}`;
    });
}

// A negotiator pasted an objective block made outside the app (an id with a space, a date written
// 31/03/2027): the server refused the whole change, the page reloaded the text without the paste
// and offered its words to copy back. What the editor reads from pasted HTML is now what the text takes.
it('an objective pasted with an id or a date the text does not take comes in with a new id and no date', async () => {
  const { nia, ben } = await twoWriters('Objectives:');
  const made =
    '<section data-objective="" data-objective-id="Objective 1" data-scope="shared" data-target-date="31/03/2027">' +
    '<div data-objective-field="title">Wells in every village</div><div data-objective-field="intent"></div>' +
    '<div data-objective-field="band"></div><div data-objective-field="trigger"></div></section>';
  await paste(nia.page, made, 'Wells in every village');
  expect(await seenAlike(nia.page, ben.page, objectivesSeen)).toEqual(['new id · no date · Wells in every village']);
  expect(await nia.page.getByTestId('notice-write-refused').count()).toBe(0);
});

// A negotiator pasted a page of the draft holding the partners' logos and a chart (from LibreOffice
// and Word), then a screenshot: the text came without them, the screenshot did nothing at all, and
// nothing said so (the agreement holds text only).
it('images pasted are left out of the text, and the person is told', async () => {
  const { nia, ben } = await twoWriters('Annex:');
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  await paste(
    nia.page,
    `<html><body><p>Partners: <img src="data:image/png;base64,${png}" alt="WaterAid logo" width="40"></p>` +
      `<p class=MsoNormal><!--[if gte vml 1]><v:shape id="Chart_1" style='width:300pt;height:200pt'><v:imagedata src="file:///C:/Users/nia/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png" o:title=""/></v:shape><![endif]-->` +
      `<![if !vml]><img width=400 height=266 src="file:///C:/Users/nia/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png" v:shapes="Chart_1"><![endif]>Wells built per year.<o:p></o:p></p></body></html>`,
    'Partners: Wells built per year.',
  );
  const notice = nia.page.getByTestId('paste-left-out');
  await notice.waitFor({ timeout: 5_000 }).catch(() => undefined);
  expect({ seen: await seenAlike(nia.page, ben.page), told: (await notice.count()) > 0 ? await notice.innerText() : null }).toEqual({
    seen: ['Annex:', 'Partners:', 'Wells built per year.'],
    told: expect.stringContaining('2 images in what you pasted were left out of the text: the agreement holds text only.'),
  });
  await notice.getByRole('button', { name: 'Dismiss' }).click();

  await nia.page.locator('.ProseMirror').evaluate((el, png) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], 'screenshot.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  await notice.waitFor({ timeout: 5_000 }).catch(() => undefined);
  expect((await notice.count()) > 0 ? await notice.innerText() : null).toContain('1 image in what you pasted was left out of the text');
});

/** The text as `page` shows it with its marks that matter here: **bold**, ~~struck~~, __underlined__ and [linked](target) words, a heading after "#". */
async function marksSeen(page: Page): Promise<string[]> {
  const marked = (node: JSONContent): string => {
    let text = node.text ?? '';
    for (const mark of node.marks ?? []) {
      if (mark.type === 'bold') text = `**${text}**`;
      if (mark.type === 'strike') text = `~~${text}~~`;
      if (mark.type === 'underline') text = `__${text}__`;
      if (mark.type === 'link') text = `[${text}](${String(mark.attrs?.href)})`;
    }
    return text;
  };
  const lines = (node: JSONContent): string[] =>
    node.type === 'paragraph' || node.type === 'heading'
      ? [`${node.type === 'heading' ? '# ' : ''}${(node.content ?? []).map(marked).join('')}`]
      : (node.content ?? []).flatMap(lines);
  return lines(await textJSON(page)).filter((line) => line.trim() !== '');
}

/**
 * A clause as Word (Windows and Mac, "All Markup" shown) puts it on the clipboard with the other party's
 * tracked changes: each deletion a <del cite="mailto:…" datetime="…"> in a span.msoDel, each insertion an
 * <ins> in a span.msoIns, styled struck and underlined by the export-only styles in its head (shapes as in
 * Word's HTML in public documents, and as tinymce/tinymce's paste test "paste track changes comment" and
 * froala/wysiwyg-editor#2217 "Pasting from word with track changes includes deleted words" describe them).
 * A paragraph deleted whole has its paragraph mark (<o:p>) deleted too. The words "repealed" are struck
 * through by the author, as formatting (<s>), not as a change.
 */
const wordWithTrackedChanges =
  `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>` +
  `span.msoIns{mso-style-type:export-only;mso-style-name:"";text-decoration:underline;text-underline:single;color:blue;}` +
  `span.msoDel{mso-style-type:export-only;mso-style-name:"";text-decoration:line-through;color:red;}</style></head>` +
  `<body lang=EN-GB><div class=WordSection1>` +
  `<p class=MsoNormal>The fee is <span class=msoDel><del cite="mailto:Ben%20Okafor" datetime="2026-12-01T10:30">5%</del></span>` +
  `<span class=msoIns><ins cite="mailto:Ben%20Okafor" datetime="2026-12-01T10:31">4%</ins></span> of the grant, paid yearly.<o:p></o:p></p>` +
  `<p class=MsoNormal><span class=msoDel><del cite="mailto:Ben%20Okafor" datetime="2026-12-01T10:32">Late payment bears interest.<o:p></o:p></del></span></p>` +
  `<p class=MsoNormal>Clauses shown <s>repealed</s> in Annex B no longer apply.<o:p></o:p></p>` +
  `</div></body></html>`;

// A negotiator copied a clause from the other party's Word draft that still held its tracked changes
// and pasted it: the words the other party had deleted ("5%", a whole sentence) came in struck through
// beside the words that replaced them, and read as part of the agreed text.
it('Word’s tracked changes in what is pasted come in accepted, the person is told, and pasted while suggesting they are the person’s suggestion', async () => {
  const c = await cast(stage.server);
  const nia = await stage.join(c.url(c.ngo));
  const ben = await stage.join(c.url(c.business));
  await typeAtEnd(nia.page, 'Fees:');
  await nia.page.keyboard.press('Enter');
  await waitForText(ben.page, 'Fees:');
  await paste(nia.page, wordWithTrackedChanges, 'The fee is 5%4% of the grant, paid yearly.');
  const notice = nia.page.getByTestId('paste-left-out');
  await notice.waitFor({ timeout: 5_000 }).catch(() => undefined);
  expect({ seen: await seenAlike(nia.page, ben.page, marksSeen), told: (await notice.count()) > 0 ? await notice.innerText() : null }).toEqual({
    seen: ['Fees:', 'The fee is 4% of the grant, paid yearly.', 'Clauses shown ~~repealed~~ in Annex B no longer apply.'],
    told: expect.stringContaining(
      '3 tracked changes in what you pasted were accepted: the text is as Word shows it with changes accepted. To propose them to the others as changes, paste while suggesting.',
    ),
  });

  // Pasted while suggesting, the accepted text is the person's suggestion, as any paste is.
  await nia.page.getByTestId('mode-suggesting').click();
  await typeAtEnd(nia.page, '');
  await paste(
    nia.page,
    wordWithTrackedChanges.replace(/<p class=MsoNormal><span class=msoDel>.*?<\/p>|<p class=MsoNormal>Clauses.*?<\/p>/g, ''),
    'The fee is 5%4% …',
  );
  const suggested = await waitFor(
    async () => {
      const { body } = await api<{ suggestions: { text?: string }[] }>(
        stage.server,
        'GET',
        `/api/agreements/${c.fx.agreement.id}/suggestions`,
        undefined,
        c.ngo,
      );
      return body.suggestions.length > 0 ? body.suggestions.map((s) => s.text) : null;
    },
    { timeoutMs: 10_000, what: 'the pasted suggestion stored' },
  );
  expect(suggested).toEqual(['The fee is 4% of the grant, paid yearly.']);
  expect(await notice.innerText()).toContain(
    '2 tracked changes in what you pasted were accepted: the text is as Word shows it with changes accepted. Pasted while suggesting, it is your suggestion.',
  );
});

/** Two footnotes as Word puts them on the clipboard: links to "#_ftn1" in the text, the footnotes after it in a list whose entries link back. */
const footnoteReference = (n: number) =>
  `<a style='mso-footnote-id:ftn${n}' href="#_ftn${n}" name="_ftnref${n}" title=""><span class=MsoFootnoteReference><span style='mso-special-character:footnote'>` +
  `<![if !supportFootnotes]><span class=MsoFootnoteReference><span style='font-size:11.0pt;line-height:107%;font-family:"Calibri",sans-serif'>[${n}]</span></span><![endif]></span></span></a>`;
const footnote = (n: number, words: string) =>
  `<div style='mso-element:footnote' id=ftn${n}><p class=MsoFootnoteText><a style='mso-footnote-id:ftn${n}' href="#_ftnref${n}" name="_ftn${n}" title="">` +
  `<span class=MsoFootnoteReference><span style='mso-special-character:footnote'><![if !supportFootnotes]><span class=MsoFootnoteReference>` +
  `<span style='font-size:10.0pt;line-height:107%;font-family:"Calibri",sans-serif'>[${n}]</span></span><![endif]></span></span></a> ${words}<o:p></o:p></p></div>`;
const wordWithFootnotes =
  `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=EN-GB><div class=WordSection1>` +
  `<p class=MsoNormal>The NGO reports yearly${footnoteReference(1)} and the company pays within 30 days.${footnoteReference(2)}<o:p></o:p></p></div>` +
  `<div style='mso-element:footnote-list'><![if !supportFootnotes]><br clear=all><hr align=left size=1 width="33%"><![endif]>` +
  footnote(1, 'By 31 March, to both parties.') +
  footnote(2, 'Of an <i>invoice</i> the NGO sends.') +
  `</div></body></html>`;

// A negotiator pasted a clause with Word footnotes: each reference came in as a link to "#_ftn1",
// which leads nowhere in the agreement, and the footnotes as links back.
it('Word’s footnotes in what is pasted come in as plain [1] markers and paragraphs after the text, with no links', async () => {
  const { nia, ben } = await twoWriters('Reporting:');
  await paste(nia.page, wordWithFootnotes, 'The NGO reports yearly[1] and the company pays within 30 days.[2]');
  const seen = await seenAlike(nia.page, ben.page, marksSeen);
  const rules = await ben.page.locator('.ProseMirror hr').count();
  expect({ seen, rules }).toEqual({
    seen: [
      'Reporting:',
      'The NGO reports yearly[1] and the company pays within 30 days.[2]',
      '[1] By 31 March, to both parties.',
      '[2] Of an invoice the NGO sends.',
    ],
    rules: 0,
  });
});

// A negotiator pasted the other party's numbered obligations from Word, where item 2 was deleted as a
// tracked change: the deletion was accepted, but the item after it came in as "3.", a number the
// accepted text does not have (Word numbers it 2 once the deletion is accepted).
it('a Word list item deleted as a tracked change leaves the items after it numbered as Word numbers them with the change accepted', async () => {
  const { nia, ben } = await twoWriters('Obligations:');
  const word =
    `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=EN-GB>` +
    wordItem('l0', 1, '1.', 'Deliver water') +
    wordItem('l0', 1, '2.', wordDeleted('Build a school')) +
    wordItem('l0', 1, '3.', 'Report yearly') +
    `<p class=MsoNormal>Then:<o:p></o:p></p>` +
    wordItem('l1', 1, '1.', 'Hire staff') +
    // Its typed number deleted with its words (built by hand: no public sample shows which Word writes).
    wordItem('l1', 1, '2.', wordDeleted('Buy land')).replace(/<!\[if !supportLists\]>[\s\S]*?<!\[endif\]>/, (marker) => wordDeleted(marker)) +
    wordItem('l1', 1, '3.', 'Build') +
    `</body></html>`;
  await paste(nia.page, word, '1. Deliver water …');
  expect(await seenAlike(nia.page, ben.page)).toEqual(['Obligations:', '1. Deliver water', '2. Report yearly', 'Then:', '1. Hire staff', '2. Build']);
});

// The same, where the deleted item had sub-points of its own, deleted with it: its number came in as an
// empty item "2." (its sub-points gone, the item kept for them), so the text read "1., 2., 3." where Word
// with the change accepted reads "1., 2.".
it('a Word list item deleted as a tracked change with its sub-points goes with them, and the items after it number on', async () => {
  const { nia, ben } = await twoWriters('Obligations:');
  const word =
    `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=EN-GB>` +
    wordItem('l0', 1, '1.', 'Deliver water') +
    wordItem('l0', 2, 'a.', 'to the north') +
    wordItem('l0', 1, '2.', wordDeleted('Build a school')) +
    wordItem('l0', 2, 'a.', wordDeleted('with four classrooms')) +
    wordItem('l0', 2, 'b.', wordDeleted('and a <b>well</b>')) +
    wordItem('l0', 1, '3.', 'Report yearly') +
    wordItem('l0', 2, 'a.', 'to both parties') +
    `</body></html>`;
  await paste(nia.page, word, '1. Deliver water …');
  expect(await seenAlike(nia.page, ben.page)).toEqual(['Obligations:', '1. Deliver water', '  a. to the north', '2. Report yearly', '  a. to both parties']);
});

// Where only the item was deleted and a sub-point of it kept, Word with the change accepted shows the
// sub-point under the item before (it numbers on there: "b."), and the items after it numbered on.
it('a Word list item deleted as a tracked change without its sub-points leaves them under the item before it', async () => {
  const { nia, ben } = await twoWriters('Obligations:');
  const word =
    `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=EN-GB>` +
    wordItem('l0', 1, '1.', 'Deliver water') +
    wordItem('l0', 2, 'a.', 'to the north') +
    wordItem('l0', 1, '2.', wordDeleted('Build a school')) +
    wordItem('l0', 2, 'a.', 'with four classrooms') +
    wordItem('l0', 1, '3.', 'Report yearly') +
    `<p class=MsoNormal>Then:<o:p></o:p></p>` +
    wordItem('l1', 1, '1.', wordDeleted('Hire staff')) +
    wordItem('l1', 2, 'a.', 'two engineers') +
    wordItem('l1', 1, '2.', 'Train them') +
    `</body></html>`;
  await paste(nia.page, word, '1. Deliver water …');
  // With no item before it, a kept sub-point stays in the deleted item's place (Word indents it, alone, a level in).
  expect(await seenAlike(nia.page, ben.page)).toEqual([
    'Obligations:',
    '1. Deliver water',
    '  a. to the north',
    '  b. with four classrooms',
    '2. Report yearly',
    'Then:',
    'a. two engineers',
    '1. Train them',
  ]);
});

/**
 * Word's formatting revisions as it writes them into HTML: the text in its new formatting (here <b>, <s>, a
 * heading), wrapped in a span.msoChangeProp naming the reviser (mso-prop-change), and the formatting before
 * the change as declarations marked "!msorm". Modelled on a Word-saved HTML document with tracked changes in a
 * public repository (a 2015 AllJoyn bridge design document: `<span style='text-decoration:none !msorm;…'><s><span
 * class=msoChangeProp style='mso-prop-change:"…" 20150731T0910'>…`, and a paragraph's `margin-left:.5in !msorm;
 * mso-prop-change:…`); the bold, unbolded and heading cases are built by hand on that pattern (no public sample).
 */
const revised = (before: string, words: string) =>
  `<span class=msoChangeProp style='mso-prop-change:"Ben Okafor" 20261201T1030'><span style='${before}'>${words}</span></span>`;
const wordWithFormatRevisions =
  `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>span.msoChangeProp{mso-style-type:export-only;mso-style-name:"";color:black;}</style></head>` +
  `<body lang=EN-GB><div class=WordSection1>` +
  `<h2 style='mso-style-name:Normal !msorm;mso-prop-change:"Ben Okafor" 20261201T1031'>${revised('mso-style-name:Normal !msorm', 'Payment')}<o:p></o:p></h2>` +
  `<p class=MsoNormal>The company pays <span style='font-weight:normal !msorm'><b>${revised('font-weight:normal !msorm;mso-bidi-font-weight:normal !msorm', 'within 30 days')}</b></span> of an invoice.<o:p></o:p></p>` +
  `<p class=MsoNormal><span style='font-weight:bold !msorm'>${revised('font-weight:bold !msorm', 'Late fees')}</span> are waived; clause 9 is ` +
  `<span style='text-decoration:none !msorm;text-line-through:none !msorm'><s>${revised('text-decoration:none !msorm;text-line-through:none !msorm', 'repealed')}</s></span>.<o:p></o:p></p>` +
  `</div></body></html>`;

// A negotiator pasted a clause from the other party's Word draft whose tracked changes included formatting:
// "within 30 days" made bold, "Late fees" no longer bold, "repealed" struck, "Payment" made a heading.
it('Word’s formatting revisions in what is pasted come in as Word shows them accepted: the new formatting only', async () => {
  const { nia, ben } = await twoWriters('Terms:');
  await paste(nia.page, wordWithFormatRevisions, 'Payment\nThe company pays within 30 days of an invoice.\nLate fees are waived; clause 9 is repealed.');
  const notice = nia.page.getByTestId('paste-left-out');
  await notice.waitFor({ timeout: 5_000 }).catch(() => undefined);
  expect({ seen: await seenAlike(nia.page, ben.page, marksSeen), told: (await notice.count()) > 0 ? await notice.innerText() : null }).toEqual({
    seen: ['Terms:', '# Payment', 'The company pays **within 30 days** of an invoice.', 'Late fees are waived; clause 9 is ~~repealed~~.'],
    // Accepted like any other tracked change, and told like one.
    told: expect.stringContaining('4 tracked changes in what you pasted were accepted: the text is as Word shows it with changes accepted.'),
  });
});

const wordClause = (words: string) =>
  `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=EN-GB><p class=MsoNormal>${words}<o:p></o:p></p></body></html>`;

// A negotiator copied a line of the other party's Word draft, still holding its tracked changes, into an
// objective's intent, and its owners and indicators. Word's plain text of such a copy (which a text input
// takes) is modelled here with the deleted words in it beside the inserted ones, as in the body's test;
// no public sample shows which it holds.
it('Word’s tracked changes pasted into an objective’s fields, owners and indicators come in accepted', async () => {
  const { nia, ben } = await twoOnAnObjective();
  await clickInto(nia.page, 'intent');
  await paste(nia.page, wordClause(`Wells in ${wordDeleted('5')}${wordInserted('8')} villages`), 'Wells in 58 villages');
  await clickInto(nia.page, 'band');
  await paste(nia.page, wordClause(`Between 40 and ${wordDeleted('60 wells')}${wordInserted('50 wells')}`), 'Between 40 and 60 wells50 wells');

  const input = (label: string) => nia.page.getByLabel(`${label} of “Safe water”`);
  for (const [label, html, text] of [
    ['Owners', wordClause(`${wordDeleted('Acme')}${wordInserted('WaterAid')} field team`), 'AcmeWaterAid field team'],
    ['Indicators', wordClause(`Wells built: ${wordDeleted('20')}${wordInserted('40')}`), 'Wells built: 2040'],
  ]) {
    await nia.page.evaluate(
      ({ html, text }) =>
        navigator.clipboard.write([
          new ClipboardItem({ 'text/html': new Blob([html], { type: 'text/html' }), 'text/plain': new Blob([text], { type: 'text/plain' }) }),
        ]),
      { html, text },
    );
    await input(label).click();
    await nia.page.keyboard.press('Control+v');
  }
  const seen = async (page: Page) => [
    ...(await objectiveFieldsSeen(page)),
    `Owners: ${await page.getByLabel('Owners of “Safe water”').inputValue()}`,
    `Indicators: ${await page.getByLabel('Indicators of “Safe water”').inputValue()}`,
  ];
  expect(await seenAlike(nia.page, ben.page, seen)).toEqual([
    'objectiveTitle: Safe water',
    'objectiveIntent: Wells in 8 villages',
    'objectiveBand: Between 40 and 50 wells',
    'objectiveTrigger: ',
    'Owners: WaterAid field team',
    'Indicators: Wells built: 40',
  ]);
  // Told under each box, as a paste into the text is told (the text's notice: to propose them, paste while suggesting, which these boxes do not take).
  expect(await nia.page.getByTestId('fact-paste-accepted').allInnerTexts()).toEqual([
    '2 tracked changes in what you pasted were accepted: the words are as Word shows them with changes accepted.',
    '2 tracked changes in what you pasted were accepted: the words are as Word shows them with changes accepted.',
  ]);
});
