/**
 * The visit's update function: (state, message) -> [state, effects]. Pure, so every key and every engine event can
 * be tested without ink. Effects are requests to the controller (src/tui/controller.ts), which answers with
 * messages; components only render state. Each screen's keys are in src/tui/keys/.
 */
import type { InspectionRecord } from '../core/record.js';
import { describeError } from '../core/errors.js';
import type { VisitEvent } from '../visit/events.js';
import { freshVisit, type Answer, type DeviceProgress, type KeyPress, type Msg, type Update, type VisitState } from './visit-state.js';
import { onChecklist, onTextForm } from './keys/checklist.js';
import { onCredentialForm, onCredentials } from './keys/credentials.js';
import { onDevice, onDevices } from './keys/devices.js';
import { go } from './keys/edit.js';
import { onFinish, onRecheck, onSignForm } from './keys/finish.js';
import { onDiscover, onNetwork } from './keys/network.js';
import { caseForm, onCaseForm, onSiteForm, onStart } from './keys/start.js';

export * from './visit-state.js';
export { checklistRows } from './keys/checklist.js';
export { credentialTargets } from './keys/credentials.js';
export { ROLE_LABEL } from './keys/finish.js';

/** True while the focused element takes free text, so letters are typed rather than read as keys. */
const typing = (s: VisitState): boolean =>
  s.searching ||
  s.editingSweep ||
  s.screen === 'site-form' ||
  s.screen === 'case-form' ||
  s.screen === 'credential-form' ||
  s.screen === 'text-form' ||
  s.screen === 'sign-form';

const onKey = (s: VisitState, key: KeyPress): Update => {
  if ((key.ctrl && key.input === 'l') || (key.input === 'L' && !typing(s))) return [{ ...s, lang: s.lang === 'zh-CN' ? 'en' : 'zh-CN' }, []];
  const f = s.form;
  switch (s.screen) {
    case 'start':
      return onStart(s, key);
    case 'site-form':
      return f ? onSiteForm(s, f, key) : [s, []];
    case 'case-form':
      return f ? onCaseForm(s, f, key) : [s, []];
    case 'network':
      return onNetwork(s, key);
    case 'discover':
      return onDiscover(s, key);
    case 'credentials':
      return onCredentials(s, key);
    case 'credential-form':
      return f ? onCredentialForm(s, f, key) : [s, []];
    case 'probe':
      return key.escape && s.probing ? [s, [{ type: 'stop' }]] : [s, []];
    case 'devices':
      return onDevices(s, key);
    case 'device':
      return onDevice(s, key);
    case 'checklist':
      return onChecklist(s, key);
    case 'text-form':
      return f ? onTextForm(s, f, key) : [s, []];
    case 'finish':
      return onFinish(s, key);
    case 'sign-form':
      return f ? onSignForm(s, f, key) : [s, []];
    case 'recheck':
      return onRecheck(s, key);
  }
};

const progressOf = (s: VisitState, address: string): DeviceProgress =>
  s.probe[address] ?? { calls: 0, lastAction: null, frame: 0, of: 0, state: 'waiting', error: null };

const withProgress = (s: VisitState, address: string, change: Partial<DeviceProgress>): VisitState => ({
  ...s,
  probe: { ...s.probe, [address]: { ...progressOf(s, address), ...change } },
});

const onEvent = (s: VisitState, e: VisitEvent): VisitState => {
  switch (e.type) {
    case 'inspection-started':
      return { ...s, inspectionId: e.inspectionId };
    case 'device-found':
      return s.discovered.some((d) => d.address === e.device.address) ? s : { ...s, discovered: [...s.discovered, e.device], discoverMs: e.elapsedMs };
    case 'discovery-progress':
      return { ...s, discoverProgress: { sent: e.sent, planned: e.planned }, discoverMs: e.elapsedMs };
    case 'stage-done':
      if (e.stage === 'discover') return { ...s, discovering: false, discoverMs: e.ms };
      if (e.stage === 'probe') return { ...s, probing: false };
      return s;
    case 'probe-call':
      return withProgress(s, e.address, { state: 'running', calls: progressOf(s, e.address).calls + 1, lastAction: e.action });
    case 'auth-needed':
      return { ...s, auth: { ...s.auth, [e.address]: { status: e.failed ? 'wrong' : 'needed', vendor: e.vendor } } };
    case 'device-probed': {
      const vendor = e.config.device.manufacturer;
      const status = e.config.authenticated ? 'ok' : (s.auth[e.address]?.status ?? 'needed');
      return withProgress({ ...s, auth: { ...s.auth, [e.address]: { status, vendor } } }, e.address, { state: 'running' });
    }
    case 'stream-frame':
      return withProgress(s, e.address, { frame: e.frame, of: e.of });
    case 'stream-done':
      return withProgress(s, e.address, { frame: e.facts.frames, of: e.facts.frames });
    case 'device-error':
      return withProgress(s, e.address, { state: 'failed', error: describeError(e.error) });
    case 'device-recorded': {
      const p = s.probe[e.address];
      return p && p.state !== 'failed' ? withProgress(s, e.address, { state: 'done' }) : s;
    }
    case 'stage-started':
    case 'checklist-answered':
    case 'signed':
    case 'inspection-done':
      return s;
  }
};

const answersOf = (record: InspectionRecord): Record<string, Answer> =>
  Object.fromEntries(record.checklist.map((c) => [c.item, { answer: c.answer, note: c.note, photos: c.photos }]));

export const update = (s: VisitState, msg: Msg): Update => {
  switch (msg.type) {
    case 'key':
      return onKey(s, msg.key);
    case 'tick':
      return [s.discovering ? { ...s, discoverMs: msg.elapsedMs } : s, []];
    case 'sites':
      return [{ ...s, sites: msg.sites, unfinished: msg.unfinished, cursor: Math.min(s.cursor, Math.max(0, msg.sites.length + msg.unfinished.length - 1)) }, []];
    case 'site-chosen': {
      // A re-check starts from the zones of the inspection it follows: the same office is walked again.
      const zones = msg.previous?.zones ?? s.caseInfo?.zones ?? [];
      return [go(s, 'case-form', { ...freshVisit, site: msg.site, previous: msg.previous, form: caseForm(s.caseInfo, zones) }), []];
    }
    case 'interfaces':
      return [{ ...s, interfaces: msg.interfaces }, []];
    case 'event':
      return [onEvent(s, msg.event), []];
    case 'record':
      // A finished probe lands on the device table.
      return [s.screen === 'probe' ? go(s, 'devices', { record: msg.record, missing: msg.missing }) : { ...s, record: msg.record, missing: msg.missing }, []];
    case 'resumed':
      // An inspection opened at the case form and left before its network was chosen goes on from that choice.
      return [
        go(s, msg.record.meta.interfaceAddress === '' ? 'network' : 'devices', {
          ...freshVisit,
          record: msg.record,
          site: msg.record.site,
          previous: msg.previous,
          inspectionId: msg.record.meta.id,
          answers: answersOf(msg.record),
          missing: msg.missing,
          signatures: msg.signatures,
          caseInfo: msg.record.meta,
        }),
        [],
      ];
    case 'concluded':
      return [{ ...s, record: msg.record, diff: msg.diff, concluded: true, cursor: 0 }, []];
    case 'snapshots':
      return [{ ...s, snapshots: msg.snapshots }, []];
    case 'signatures':
      return [{ ...s, signatures: msg.signatures }, []];
    case 'report':
      return [{ ...s, reportPaths: [...s.reportPaths, msg.path] }, []];
    case 'bundle':
      return [{ ...s, bundlePath: msg.path }, []];
    case 'error':
      return [{ ...s, error: { text: msg.message }, discovering: false, probing: false }, []];
  }
};
