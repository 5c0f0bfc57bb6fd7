import { readZip } from './zip';

/**
 * Each numbered paragraph of a .docx by its text: the numbering format and first number of the
 * level it is at (`decimal 3`, `lowerLetter 1`), as Word numbers it.
 */
export function docxNumbering(bytes: Buffer): Record<string, string> {
  const files = readZip(bytes);
  const numbering = files.get('word/numbering.xml')?.toString('utf8') ?? '';
  const levels = new Map<string, string>();
  for (const [, id, body] of numbering.matchAll(/<w:abstractNum [^>]*w:abstractNumId="(\d+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g))
    for (const [, level, lvl] of body.matchAll(/<w:lvl w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvl>/g))
      levels.set(`${id}/${level}`, `${/<w:numFmt w:val="([^"]+)"/.exec(lvl)?.[1]} ${/<w:start w:val="(\d+)"/.exec(lvl)?.[1]}`);
  const nums = new Map([...numbering.matchAll(/<w:num w:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"/g)].map((m) => [m[1], m[2]]));
  const xml = files.get('word/document.xml')!.toString('utf8');
  return Object.fromEntries(
    [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].flatMap(([p]) => {
      const numId = /<w:numId w:val="(\d+)"\/>/.exec(p)?.[1];
      const level = /<w:ilvl w:val="(\d+)"\/>/.exec(p)?.[1] ?? '0';
      return numId ? [[p.replace(/<[^>]+>/g, ''), levels.get(`${nums.get(numId)}/${level}`) ?? 'none']] : [];
    }),
  );
}
