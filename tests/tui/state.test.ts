import { describe, expect, it } from 'vitest';
import type { InspectionMeta, SiteDetails } from '../../src/core/record.js';
import { detectLang, displayWidth, t } from '../../src/i18n/index.js';
import { deviceRows } from '../../src/tui/device-lines.js';
import { helpKeys } from '../../src/tui/format.js';
import { initialState, update, type Effect, type KeyPress, type Msg, type Screen, type VisitState } from '../../src/tui/state.js';
import type { ColourMode } from '../../src/tui/terminal-colours.js';
import { firstInspection } from '../report/sample-records.js';

const site: SiteDetails = { id: 's1', version: 1, name: '星河湾售楼处', address: '滨江路1号', district: '南山区', developer: '星河', contact: '王', campaign: null };

const run = (s: VisitState, ...msgs: Msg[]): [VisitState, Effect[]] =>
  msgs.reduce<[VisitState, Effect[]]>(([st, fx], m) => {
    const [next, more] = update(st, m);
    return [next, [...fx, ...more]];
  }, [s, []]);

const key = (k: Partial<KeyPress> & { input?: string }): Msg => ({ type: 'key', key: { input: '', ...k } });
const type = (text: string): Msg[] => [...text].map((ch) => key({ input: ch }));
const enter = key({ return: true });
const esc = key({ escape: true });

const atNetwork = (): VisitState => {
  const [s] = run(
    initialState('en'),
    { type: 'interfaces', interfaces: [{ name: 'eth0', address: '192.168.1.23', cidr: '192.168.1.23/24' }] },
    { type: 'site-chosen', site, previous: null },
    ...type('A-1'),
    enter,
    ...type('Li, Zhang'),
    enter,
    enter,
    enter,
    enter,
    ...type('Entrance, Sand table'),
    enter,
  );
  return s;
};

describe('visit state', () => {
  it('the finish screen takes a signature: name required, role and status picked with ←→, letters typed into the note', () => {
    const finished: VisitState = { ...initialState('en'), screen: 'finish', concluded: true, record: firstInspection() };
    const [form] = run(finished, key({ input: 's' }));
    expect(form.screen).toBe('sign-form');
    const [unnamed, none] = run(form, enter, enter, enter, enter);
    expect(unnamed.error).toEqual({ key: 'sign.nameRequired' });
    expect(none).toEqual([]);
    const right = key({ rightArrow: true });
    const [back, fx] = run(form, ...type('Wang'), enter, right, right, ...type('xyz'), enter, key({ leftArrow: true }), enter, ...type('asks head office'), enter);
    expect(back.screen).toBe('finish');
    expect(fx).toEqual([{ type: 'sign', signature: { name: 'Wang', role: 'representative', status: 'refused', note: 'asks head office' } }]);
    const [shown] = run(back, { type: 'signatures', signatures: [{ name: 'Wang', role: 'representative', status: 'refused', note: '', at: '2026-01-01T00:00:00Z' }] });
    expect(shown.signatures).toHaveLength(1);
  });

  it('searching types into the search and asks for the matching sites', () => {
    const [s, fx] = run(initialState('en'), key({ input: '/' }), ...type('南山'));
    expect(s.search).toBe('南山');
    expect(fx.at(-1)).toEqual({ type: 'list-sites', search: '南山' });
    // While searching, `n` and `L` are letters, not commands.
    const [s2] = run(s, ...type('nL'));
    expect(s2.search).toBe('南山nL');
    expect(s2.screen).toBe('start');
    expect(s2.lang).toBe('en');
  });

  it('a new site needs a name, then saves', () => {
    const [s, fx] = run(initialState('en'), key({ input: 'n' }), enter, enter, enter, enter, enter);
    expect(s.error).toEqual({ key: 'site.name' });
    expect(fx).toEqual([]);
    const [, fx2] = run(s, ...type('Sales office'), enter, ...type('Road 1'), enter, ...type('Nanshan'), enter, enter, enter);
    expect(fx2).toEqual([{ type: 'save-site', site: { name: 'Sales office', address: 'Road 1', district: 'Nanshan', developer: '', contact: '' } }]);
  });

  it('the case form requires a case number and an inspector, and splits lists on Chinese commas too', () => {
    const [bad] = run(initialState('en'), { type: 'site-chosen', site, previous: null }, enter, enter, enter, enter, enter, enter);
    expect(bad.error).toEqual({ key: 'case.required' });
    expect(bad.screen).toBe('case-form');
    const [s] = run(initialState('en'), { type: 'site-chosen', site, previous: null }, ...type('A-1'), enter, ...type('李，张'), enter, enter, enter, enter, ...type(' 入口、沙盘区，洽谈区,, '), enter);
    expect(s.screen).toBe('network');
    expect(s.caseInfo?.inspectors).toEqual(['李', '张']);
    expect(s.caseInfo?.zones).toEqual(['入口', '沙盘区', '洽谈区']);
  });

  it('the zones field comes last; a re-check starts from the previous zones, going back keeps what was typed', () => {
    const [first] = run(initialState('en'), { type: 'site-chosen', site, previous: null });
    expect(first.form?.fields.map((f) => f.label)).toEqual(['field.caseNumber', 'case.inspectors', 'field.experts', 'field.representative', 'field.witness', 'case.zones']);
    expect(first.form?.fields[5]?.value).toBe('');
    const previous: InspectionMeta = {
      id: '1', siteId: site.id, siteVersion: 1, kind: 'first', previousInspectionId: null, caseNumber: 'A-0', zones: ['入口', '签约室'],
      inspectors: ['Li'], experts: [], representative: '', witness: '', startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T01:00:00Z',
      toolkitVersion: 't', modelSha256: 'm', interfaceAddress: '192.168.1.23', subnet: null,
    };
    const [recheck] = run(initialState('en'), { type: 'site-chosen', site, previous });
    expect(recheck.form?.fields[5]?.value).toBe('入口, 签约室');
    const [back] = run(atNetwork(), esc);
    expect(back.screen).toBe('case-form');
    expect(back.form?.fields[5]?.value).toBe('Entrance, Sand table');
  });

  it('submitting the case form asks to open the inspection at once, with the case details', () => {
    const [s, fx] = run(
      initialState('en'),
      { type: 'site-chosen', site, previous: null },
      ...type('A-1'), enter, ...type('Li'), enter, enter, enter, enter, ...type('Entrance'), enter,
    );
    expect(s.screen).toBe('network');
    expect(fx).toEqual([{
      type: 'begin', site, previous: null,
      caseInfo: { caseNumber: 'A-1', inspectors: ['Li'], experts: [], representative: '', witness: '', zones: ['Entrance'] },
    }]);
    // The record exists now: leaving the network screen goes to the start screen, which offers it for resumption.
    const [opened] = run(s, { type: 'event', event: { type: 'inspection-started', inspectionId: '7', siteId: site.id, kind: 'first' } });
    const [left, fx2] = run(opened, esc);
    expect(left.screen).toBe('start');
    expect(fx2).toEqual([{ type: 'list-sites', search: '' }]);
  });

  it('resuming an inspection with no network yet goes on at the network screen; one with a network at the device table', () => {
    const noNetwork = { ...firstInspection(), devices: [], meta: { ...firstInspection().meta, endedAt: null, interfaceAddress: '', subnet: null } };
    const [s] = run(atNetwork(), { type: 'resumed', record: noNetwork, previous: null, missing: [], signatures: [] });
    expect(s).toMatchObject({ screen: 'network', inspectionId: noNetwork.meta.id, site: noNetwork.site, caseInfo: { caseNumber: noNetwork.meta.caseNumber } });
    const [, fx] = run(s, enter);
    expect(fx).toEqual([expect.objectContaining({ type: 'discover', site: noNetwork.site, sweep: null, iface: { name: 'eth0', address: '192.168.1.23', cidr: '192.168.1.23/24' } })]);
    const withNetwork = firstInspection();
    const [t] = run(atNetwork(), { type: 'resumed', record: withNetwork, previous: null, missing: [], signatures: [] });
    expect(t.screen).toBe('devices');
  });

  it('a bad sweep range is refused on the network screen, before anything is asked of the controller', () => {
    const [s, fx] = run(atNetwork(), key({ input: 's' }), ...type('10.0.0.0/99'), enter, enter);
    expect(s.screen).toBe('network');
    expect(s.error).toEqual({ key: 'net.badSweep' });
    expect(fx).toEqual([]);
    // Correcting it clears the message; the corrected range then opens discovery.
    const [fixed, fx2] = run(s, key({ input: 's' }), key({ backspace: true }), key({ backspace: true }), ...type('24'), enter);
    expect(fixed.error).toBeNull();
    expect(fixed.sweep).toBe('10.0.0.0/24');
    const [, fx3] = run(fixed, enter);
    expect([...fx2, ...fx3]).toEqual([expect.objectContaining({ type: 'discover', sweep: '10.0.0.0/24' })]);
  });

  it('choosing the interface opens discovery with the optional sweep range', () => {
    const [s, fx] = run(atNetwork(), key({ input: 's' }), ...type('192.168.1.0/28'), enter, enter);
    expect(s.screen).toBe('discover');
    expect(fx).toEqual([
      expect.objectContaining({ type: 'discover', sweep: '192.168.1.0/28', iface: { name: 'eth0', address: '192.168.1.23', cidr: '192.168.1.23/24' } }),
    ]);
  });

  it('discovery events build the live list; Esc stops a running discovery, then goes back', () => {
    const device = { address: '192.168.1.64', xaddrs: [], endpoint: 'urn:uuid:x', scopes: [], via: 'ws-discovery' as const };
    const [s, fx] = run(atNetwork(), enter, { type: 'event', event: { type: 'device-found', device, elapsedMs: 300 } }, esc);
    expect(s.discovered).toHaveLength(1);
    expect(fx.at(-1)).toEqual({ type: 'stop' });
    const [back] = run(s, { type: 'event', event: { type: 'stage-done', stage: 'discover', ms: 900 } }, esc);
    expect(back.screen).toBe('network');
    expect(back.discoverMs).toBe(900);
  });

  it('a wrong password is marked, and the password typed again never stays in the state', () => {
    const device = { address: '192.168.1.64', xaddrs: [], endpoint: 'urn:uuid:x', scopes: [], via: 'ws-discovery' as const };
    const [s] = run(
      atNetwork(),
      enter,
      { type: 'event', event: { type: 'device-found', device, elapsedMs: 1 } },
      { type: 'event', event: { type: 'stage-done', stage: 'discover', ms: 2 } },
      enter,
      { type: 'event', event: { type: 'auth-needed', address: '192.168.1.64', vendor: 'HIKVISION', failed: true } },
    );
    expect(s.screen).toBe('credentials');
    expect(s.auth['192.168.1.64']?.status).toBe('wrong');
    const [typed] = run(s, enter, enter, ...type('s3cret'));
    expect(typed.form?.fields[1]).toMatchObject({ masked: true, value: 's3cret' });
    const [done, fx] = run(typed, key({ rightArrow: true }), enter);
    expect(fx).toEqual([{ type: 'set-credential', target: { kind: 'vendor', vendor: 'HIKVISION' }, username: 'admin', password: 's3cret' }]);
    expect(JSON.stringify(done)).not.toContain('s3cret');
    expect(done.auth['192.168.1.64']?.status).toBe('set');
  });

  it('checklist answers are recorded at once; a note is kept with its answer', () => {
    const base = { ...initialState('en'), screen: 'checklist' as Screen };
    const [s, fx] = run(base, key({ input: 'n' }));
    expect(fx).toEqual([{ type: 'answer', item: 'signage', answer: 'no', note: '', photos: [] }]);
    expect(s.cursor).toBe(1);
    const [s2, fx2] = run(s, key({ upArrow: true }), key({ input: 'e' }), ...type('no sign at the door'), enter);
    expect(s2.screen).toBe('checklist');
    expect(fx2.at(-1)).toEqual({ type: 'answer', item: 'signage', answer: 'no', note: 'no sign at the door', photos: [] });
  });

  it('L switches the language everywhere except while typing, Ctrl+L even then', () => {
    const [s] = run(initialState('zh-CN'), key({ input: 'L' }));
    expect(s.lang).toBe('en');
    const [f] = run(s, key({ input: 'n' }), key({ input: 'L' }));
    expect(f.lang).toBe('en');
    expect(f.form?.fields[0]?.value).toBe('L');
    const [g] = run(f, key({ input: 'l', ctrl: true }));
    expect(g.lang).toBe('zh-CN');
  });

  it('every screen has a help line that fits 80 columns in both languages', () => {
    const screens: Screen[] = ['start', 'site-form', 'case-form', 'network', 'discover', 'credentials', 'credential-form', 'probe', 'devices', 'device', 'checklist', 'text-form', 'finish', 'recheck'];
    const diff = { previousInspectionId: '1', currentInspectionId: '2', devices: [], verdicts: [] };
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const screen of screens) {
        const keys = helpKeys({ ...initialState(lang), screen, diff });
        expect(keys.length).toBeGreaterThan(0);
        const line = keys.map((k) => t(lang, k)).join('  ');
        expect(displayWidth(line), `${lang} ${screen}: ${line}`).toBeLessThanOrEqual(80);
      }
    }
  });

  it('the device view scrolls through a snapshot preview drawn above its path line', () => {
    const record = firstInspection();
    const device = record.devices[0];
    if (!device) throw new Error('no device in the sample record');
    const preview = { width: 4, height: 20, data: new Uint8Array(4 * 20 * 3) };
    const down = Array.from({ length: 80 }, () => key({ downArrow: true }));
    const bottom = (colours: ColourMode | null): number => {
      const [viewing] = run(
        { ...initialState('en', colours), screen: 'device', record, deviceIndex: 0 },
        { type: 'snapshots', snapshots: { [device.key]: [{ file: '/out/s.jpg', preview }] } },
      );
      const rows = deviceRows({ lang: 'en', device, evidence: record.evidence, snapshots: viewing.snapshots[device.key] ?? [], colours });
      const [s] = run(viewing, ...down);
      expect(s.cursor).toBe(rows.length - 1);
      return s.cursor;
    };
    // Ten more rows to scroll where the terminal draws the picture; none where it cannot.
    expect(bottom('256') - bottom(null)).toBe(10);
  });

  it('the language follows the locale', () => {
    expect(detectLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(detectLang({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(detectLang({})).toBe('en');
  });
});

describe('pasted text', () => {
  it('keeps only printable characters: a pasted newline never lands in a field', () => {
    const [s] = run(initialState('en'), key({ input: 'n' }), key({ input: 'Sales\r\r\u001b[Aoffice' }));
    expect(s.form?.fields[0]?.value).toBe('Sales[Aoffice');
  });
});
