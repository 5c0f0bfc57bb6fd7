/**
 * A stock y-websocket client in a process of its own, so a test can freeze it (SIGSTOP) as a
 * sleeping laptop would be frozen. Usage: `node --import tsx stockClientProcess.ts <wsUrl> <room> <token>`.
 * It prints one JSON line per event ({ event: 'synced' | 'content' | 'closed', ... }) and answers
 * stdin lines: `content` prints the text; `insert <text>` types at the start of the paragraph.
 */
import { createInterface } from 'node:readline';
import { connectClient, contentString, paragraphText } from './clients';

const [wsUrl, room, token] = process.argv.slice(2);
const client = connectClient(wsUrl, room, token);
client.provider.awareness.setLocalStateField('user', { name: 'sleeper' });

const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
client.provider.on('sync', (synced: boolean) => {
  if (synced) say({ event: 'synced', content: contentString(client.doc) });
});
client.provider.on('connection-close', (event: CloseEvent | null) => say({ event: 'closed', code: event?.code ?? null }));

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'content') say({ event: 'content', content: contentString(client.doc), connected: client.provider.wsconnected, synced: client.provider.synced });
  else if (line.startsWith('insert ')) paragraphText(client.doc).insert(0, line.slice('insert '.length));
});
process.stdin.on('end', () => {
  client.destroy();
  process.exit(0);
});
