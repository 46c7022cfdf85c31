/** Child process for crash.test.ts: records inspection steps until killed, printing each committed step. */
import { openStore } from '../../src/store/store.js';
import { device, inspectionInput, site } from './synth.js';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-writer.ts DB');
const store = openStore(file);
store.upsertSite(site);
const open = store.unfinishedInspections()[0];
const started = open ? { ok: true as const, value: open.id } : store.startInspection(inspectionInput);
if (!started.ok) throw new Error(started.error);
const id = started.value;
process.stdout.write(`ready ${id}\n`);
for (let i = 0; ; i++) {
  const r = store.recordDevice(id, device(i, { calls: 5, responseBytes: () => 4000, images: 1, imageBytes: 20_000 }));
  process.stdout.write(`device ${r.deviceKey}\n`);
  store.recordChecklist(id, { item: 'signage', answer: i % 2 ? 'yes' : 'no', note: `step ${i}` });
  process.stdout.write(`checklist step ${i}\n`);
}
