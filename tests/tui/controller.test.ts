import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvidenceRef, InspectionMeta, SiteDetails } from '../../src/core/record.js';
import { initialState, update, type Msg } from '../../src/tui/state.js';
import { removalChecklistItem } from '../../src/assess/recheck.js';
import type { RgbFrame } from '../../src/core/types.js';
import { CAMERAS, fakePorts, snapshotPorts } from './fakes.js';
import { harness, type Harness } from './harness.js';
import { rawAll } from '../store/raw.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.close());

const caseInfo = { caseNumber: 'SZ-2026-001', inspectors: ['李明'], experts: [], representative: '王经理', witness: '赵', zones: ['入口', '沙盘区'] };
const iface = { name: 'lo', address: '127.0.0.1', cidr: '127.0.0.1/8' };
const last = <T extends Msg['type']>(type: T): Extract<Msg, { type: T }> | undefined =>
  h.messages.filter((m): m is Extract<Msg, { type: T }> => m.type === type).at(-1);

const addSite = async (): Promise<SiteDetails> => {
  await h.visit.run({ type: 'save-site', site: { name: '星河湾售楼处', address: '滨江路1号', district: '南山区', developer: '星河', contact: '王' } });
  const chosen = last('site-chosen');
  if (!chosen) throw new Error('no site chosen');
  return chosen.site;
};

const firstVisit = async (site: SiteDetails, previous: InspectionMeta | null = null): Promise<string> => {
  await h.visit.run({ type: 'discover', site, previous, caseInfo, iface, sweep: null });
  const started = h.messages.find((m) => m.type === 'event' && m.event.type === 'inspection-started');
  if (started?.type !== 'event' || started.event.type !== 'inspection-started') throw new Error(`not started: ${JSON.stringify(h.messages.map((m) => (m.type === 'event' ? m.event.type : m.type)))}`);
  return started.event.inspectionId;
};

/** What the case form's submit asks for: the inspection opened with the case details, no network yet. */
const begin = async (site: SiteDetails): Promise<string> => {
  await h.visit.run({ type: 'begin', site, previous: null, caseInfo });
  const started = last('event');
  if (started?.event.type !== 'inspection-started') throw new Error(`not started: ${JSON.stringify(h.messages)}`);
  return started.event.inspectionId;
};

const networkRows = (id: string): unknown =>
  rawAll(join(h.dir, 'visit.db'), 'SELECT interface_address, subnet FROM inspection_networks WHERE inspection_id = ? ORDER BY id', Number(id));

describe('Visit controller', () => {
  it('runs a visit: site, discovery, wrong password, retry, checklist, findings, report', async () => {
    const site = await addSite();
    expect(h.store.listSites({ search: '南山' }).map((s) => s.name)).toEqual(['星河湾售楼处']);
    const id = await firstVisit(site);
    expect(h.messages.filter((m) => m.type === 'event' && m.event.type === 'device-found')).toHaveLength(2);

    await h.visit.run({ type: 'set-credential', target: { kind: 'all' }, username: 'admin', password: 'wrong' });
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.11', '127.0.0.12'] });
    const refused = h.messages.find((m) => m.type === 'event' && m.event.type === 'auth-needed');
    expect(refused).toMatchObject({ event: { address: '127.0.0.11', vendor: 'HIKVISION', failed: true } });
    expect(last('record')?.record.devices).toHaveLength(2);

    // The retry appends a newer result for the device; the store reads back the latest.
    await h.visit.run({ type: 'set-credential', target: { kind: 'vendor', vendor: 'HIKVISION' }, username: 'admin', password: 'right-pw' });
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.11'] });
    // Only the answer with the password reveals the serial, so the newer result has its own key.
    const hik = last('record')?.record.devices.filter((d) => d.address === '127.0.0.11').at(-1);
    expect(hik?.face.enabled).toBe(true);

    await h.visit.run({ type: 'answer', item: 'signage', answer: 'no', note: '门口无标识', photos: [] });
    await h.visit.run({ type: 'conclude' });
    const concluded = last('concluded');
    expect(concluded?.record.meta.endedAt).not.toBeNull();
    expect(concluded?.record.meta.zones).toEqual(['入口', '沙盘区']);
    expect(concluded?.record.findings.map((f) => f.ruleId)).toContain('FR-SIGNAGE');
    expect(concluded?.diff).toBeNull();

    await h.visit.run({ type: 'sign', signature: { name: '王经理', role: 'representative', status: 'refused', note: '需请示公司' } });
    expect(h.store.signatures(id)).toMatchObject([{ name: '王经理', role: 'representative', status: 'refused', note: '需请示公司' }]);
    expect(last('signatures')?.signatures).toMatchObject([{ name: '王经理', status: 'refused' }]);
    expect(h.messages.some((m) => m.type === 'event' && m.event.type === 'signed' && m.event.name === '王经理')).toBe(true);

    await h.visit.run({ type: 'write-report', format: 'html', lang: 'zh-CN' });
    expect(last('report')?.path).toMatch(/SZ-2026-001\.zh-CN\.html$/);
    expect(h.store.unfinishedInspections()).toEqual([]);
    expect(h.store.loadInspection(id)?.checklist[0]?.note).toBe('门口无标识');
  });

  it('offers an unfinished inspection for resumption, with what was recorded', async () => {
    const site = await addSite();
    const id = await firstVisit(site);
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    h.visit.open();
    expect(last('sites')?.unfinished).toEqual([expect.objectContaining({ inspectionId: id, caseNumber: 'SZ-2026-001', siteName: '星河湾售楼处' })]);
    await h.visit.run({ type: 'resume', inspectionId: id });
    expect(last('resumed')?.record.devices.map((d) => d.address)).toEqual(['127.0.0.12']);
    // A resumed visit can probe again what it recorded, without a new discovery.
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    expect(last('record')?.record.meta.id).toBe(id);
  });

  it('records the sweep range with the subnet, and a resumed visit keeps it in scope', async () => {
    const site = await addSite();
    // The fake cameras (127.0.0.11-12) are reachable only through the sweep, not the interface's subnet.
    await h.visit.run({ type: 'discover', site, previous: null, caseInfo, iface: { name: 'eth0', address: '10.9.0.1', cidr: '10.9.0.0/24' }, sweep: '127.0.0.0/24' });
    const started = h.messages.find((m) => m.type === 'event' && m.event.type === 'inspection-started');
    if (started?.type !== 'event' || started.event.type !== 'inspection-started') throw new Error('not started');
    const id = started.event.inspectionId;
    expect(h.store.loadInspection(id)?.meta).toMatchObject({ interfaceAddress: '10.9.0.1', subnet: '10.9.0.0/24, 127.0.0.0/24' });
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    h.visit.open();
    await h.visit.run({ type: 'resume', inspectionId: id });
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    // Probed both times: the sweep is in scope again after the resume, not refused as outside it.
    const calls = h.messages.filter((m) => m.type === 'event' && m.event.type === 'probe-call');
    expect(calls).toHaveLength(2);
    expect(last('record')?.record.devices.find((d) => d.address === '127.0.0.12')?.errors).toEqual([]);
  });

  it('a site with a finished inspection becomes a re-check and ends with the diff', async () => {
    const site = await addSite();
    await firstVisit(site);
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    await h.visit.run({ type: 'conclude' });
    await h.visit.run({ type: 'choose-site', siteId: site.id });
    const previous = last('site-chosen')?.previous ?? null;
    expect(previous?.caseNumber).toBe('SZ-2026-001');
    expect(previous?.zones).toEqual(['入口', '沙盘区']);
    await firstVisit(site, previous);
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    await h.visit.run({ type: 'conclude' });
    const diff = last('concluded')?.diff;
    expect(diff?.previousInspectionId).toBe(previous?.id);
    expect(diff?.devices.map((d) => d.change)).toContain('unchanged');
  });

  it('on a re-check, an earlier device that does not answer becomes a removal question; "yes" makes it removed', async () => {
    const cameras = [...CAMERAS];
    h.close();
    h = harness(fakePorts(cameras));
    const site = await addSite();
    await firstVisit(site);
    await h.visit.run({ type: 'set-credential', target: { kind: 'all' }, username: 'admin', password: 'right-pw' });
    await h.visit.run({ type: 'probe', addresses: cameras.map((c) => c.address) });
    await h.visit.run({ type: 'conclude' });
    cameras.splice(0, 1); // the Hikvision is gone
    await h.visit.run({ type: 'choose-site', siteId: site.id });
    await firstVisit(site, last('site-chosen')?.previous ?? null);
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    const missing = last('record')?.missing ?? [];
    expect(missing).toEqual([{ key: 'serial:hikvision:SN11', label: 'HIKVISION DS-2CD7A26G0 127.0.0.11' }]);
    await h.visit.run({ type: 'answer', item: removalChecklistItem('serial:hikvision:SN11'), answer: 'yes', note: '', photos: [] });
    await h.visit.run({ type: 'conclude' });
    expect(last('concluded')?.diff?.devices.find((d) => d.key === 'serial:hikvision:SN11')?.change).toBe('removed');
  });

  it('an office where no camera answers still reaches the checklist and a finished record', async () => {
    h.close();
    h = harness(fakePorts([]));
    await firstVisit(await addSite());
    await h.visit.run({ type: 'probe', addresses: [] });
    expect(last('record')?.record.devices).toEqual([]);
    await h.visit.run({ type: 'answer', item: 'signage', answer: 'yes', note: '', photos: [] });
    await h.visit.run({ type: 'conclude' });
    expect(last('concluded')?.record.meta.endedAt).not.toBeNull();
  });

  it('submitting the case form opens the inspection at once, with the case details and no network', async () => {
    const site = await addSite();
    const id = await begin(site);
    expect(h.store.loadInspection(id)?.meta).toMatchObject({
      siteId: site.id, kind: 'first', caseNumber: 'SZ-2026-001', inspectors: ['李明'], representative: '王经理', witness: '赵',
      zones: ['入口', '沙盘区'], toolkitVersion: '0.1.0-test', interfaceAddress: '', subnet: null, endedAt: null,
    });
    expect(networkRows(id)).toEqual([]);
    expect(h.messages.filter((m) => m.type === 'error')).toEqual([]);
  });

  it('quitting before the network is chosen loses nothing: a new start offers the inspection, and resuming goes on to the network', async () => {
    const site = await addSite();
    const id = await begin(site);
    // The UI quits (nothing pending) and starts again on the same database.
    await h.visit.run({ type: 'quit' });
    const again = h.restart();
    const lastOf = <T extends Msg['type']>(type: T): Extract<Msg, { type: T }> | undefined =>
      again.messages.filter((m): m is Extract<Msg, { type: T }> => m.type === type).at(-1);
    again.visit.open();
    expect(lastOf('sites')?.unfinished).toEqual([expect.objectContaining({ inspectionId: id, caseNumber: 'SZ-2026-001', siteName: '星河湾售楼处' })]);
    await again.visit.run({ type: 'resume', inspectionId: id });
    const resumed = lastOf('resumed');
    if (!resumed) throw new Error('not resumed');
    expect(resumed.record.meta).toMatchObject({ caseNumber: 'SZ-2026-001', interfaceAddress: '' });
    const [s] = update(initialState('en'), resumed);
    expect(s).toMatchObject({ screen: 'network', inspectionId: id, site: { id: site.id }, caseInfo: { caseNumber: 'SZ-2026-001' } });

    // The network chosen now is recorded for that same inspection, and discovery runs.
    await again.visit.run({ type: 'discover', site, previous: null, caseInfo, iface, sweep: null });
    expect(again.messages.filter((m) => m.type === 'event' && m.event.type === 'inspection-started')).toEqual([]);
    expect(again.messages.filter((m) => m.type === 'event' && m.event.type === 'device-found')).toHaveLength(2);
    expect(h.store.unfinishedInspections().map((m) => [m.id, m.interfaceAddress, m.subnet])).toEqual([[id, '127.0.0.1', '127.0.0.0/8']]);
    await again.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    expect(lastOf('record')?.record.meta).toMatchObject({ id, interfaceAddress: '127.0.0.1' });
  });

  it('choosing the network records it for the open inspection; choosing again records the newer choice', async () => {
    const site = await addSite();
    const id = await begin(site);
    await h.visit.run({ type: 'discover', site, previous: null, caseInfo, iface, sweep: null });
    expect(h.store.loadInspection(id)?.meta).toMatchObject({ interfaceAddress: '127.0.0.1', subnet: '127.0.0.0/8' });
    expect(h.messages.filter((m) => m.type === 'event' && m.event.type === 'inspection-started')).toHaveLength(1);
    // Back on the network screen, a sweep range added: a newer row, which stands.
    await h.visit.run({ type: 'discover', site, previous: null, caseInfo, iface, sweep: '127.0.0.0/24' });
    expect(networkRows(id)).toEqual([
      { interface_address: '127.0.0.1', subnet: '127.0.0.0/8' },
      { interface_address: '127.0.0.1', subnet: '127.0.0.0/8, 127.0.0.0/24' },
    ]);
    expect(h.store.loadInspection(id)?.meta.subnet).toBe('127.0.0.0/8, 127.0.0.0/24');
    expect(h.store.unfinishedInspections()).toHaveLength(1);
  });

  it('a bad sweep range on an open inspection records no network and starts no discovery', async () => {
    const site = await addSite();
    const id = await begin(site);
    await h.visit.run({ type: 'discover', site, previous: null, caseInfo, iface, sweep: '10.0.0.0/99' });
    expect(last('error')?.message).toMatch(/./);
    expect(networkRows(id)).toEqual([]);
    expect(h.store.loadInspection(id)?.meta).toMatchObject({ interfaceAddress: '', subnet: null });
    expect(h.messages.filter((m) => m.type === 'event' && m.event.type === 'stage-started')).toEqual([]);
  });

  it('a bad sweep range is refused before any inspection is opened', async () => {
    const site = await addSite();
    await h.visit.run({ type: 'discover', site, previous: null, caseInfo, iface, sweep: '10.0.0.0/99' });
    expect(last('error')?.message).toMatch(/./);
    expect(h.store.unfinishedInspections()).toEqual([]);
  });

  it('sends each blurred snapshot with its saved file and the preview decoded from the stored evidence', async () => {
    const previewed: EvidenceRef[] = [];
    const picture: RgbFrame = { width: 2, height: 2, data: new Uint8Array(12).fill(200) };
    h.close();
    h = harness(snapshotPorts(), {
      streamTests: true,
      saveSnapshot: async (inspectionId, e) => `/out/snapshots/${inspectionId}-${e.id}.jpg`,
      previewSnapshot: async (e) => {
        previewed.push(e);
        return picture;
      },
    });
    const id = await firstVisit(await addSite());
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    // Only the store's snapshot evidence is previewed: never a frame, never another kind of evidence.
    expect(previewed.map((e) => [e.kind, e.call])).toEqual([['snapshot', 'stream rtsp://127.0.0.12:554/main']]);
    const key = last('record')?.record.devices[0]?.key ?? '';
    expect(last('snapshots')?.snapshots).toEqual({ [key]: [{ file: `/out/snapshots/${id}-${previewed[0]?.id}.jpg`, preview: picture }] });
  });

  it('without a previewer (a terminal without colours) the snapshots keep their files, with no picture', async () => {
    h.close();
    h = harness(snapshotPorts(), { streamTests: true, saveSnapshot: async (_id, e) => `/out/${e.id}.jpg` });
    await firstVisit(await addSite());
    await h.visit.run({ type: 'probe', addresses: ['127.0.0.12'] });
    expect(Object.values(last('snapshots')?.snapshots ?? {})).toEqual([[{ file: expect.stringMatching(/^\/out\/\d+\.jpg$/), preview: null }]]);
  });
});
