/**
 * A device's names carrying terminal controls (ESC sequences, the 8-bit CSI U+009B) and bidi overrides
 * (U+202E) reach the inspector's terminal only as visible markers: `probe` and `inspect` text output,
 * the terminal UI's device table and device view. One function (terminalLine) decides, for all of them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFromFlags, summaryText } from '../../src/cli/inspection-command.js';
import type { DeviceRecord } from '../../src/core/record.js';
import { DEFAULT_PORT_SETTINGS } from '../../src/pipeline/ports.js';
import { terminalLine } from '../../src/report/text.js';
import { startHostileCamera, type HostileCameraHandle } from '../../src/sim/hostile.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { openStore } from '../../src/store/store.js';
import { DeviceView } from '../../src/tui/components/device-view.js';
import { DevicesTable } from '../../src/tui/components/devices-table.js';
import { initialState } from '../../src/tui/state.js';
import { firstInspection } from '../report/sample-records.js';

const root = join(import.meta.dirname, '../..');
/** What must never reach a terminal raw: C0 but tab/newline, DEL and C1, bidi controls, line separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point.
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028-\u202E\u2066-\u2069]/;

let cam: HostileCameraHandle;
let discoveryPort: number;
const dir = mkdtempSync(join(tmpdir(), 'camaudit-terminal-'));
beforeAll(async () => {
  discoveryPort = await freeUdpPort();
  cam = await startHostileCamera('control-characters', { discoveryPort });
});
afterAll(async () => {
  await cam.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('device text on the terminal', () => {
  it('terminalLine shows C0, C1 and bidi controls as markers, tabs and newlines as spaces', () => {
    expect(terminalLine('a\u001b[2Jb\u009b31mc\u202ed\r\ne\tf\u2028g\u0000')).toBe('a<U+001B>[2Jb<U+009B>31mc<U+202E>d<U+000D> e f<U+2028>g<U+0000>');
    expect(terminalLine('海康威视 DS-2CD2012-I')).toBe('海康威视 DS-2CD2012-I');
  });

  it('probe: the summary names the device with markers, never the raw controls', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'probe', cam.xaddr, '--no-stream', '--user', 'admin', '--password-env', 'CAM_PW'], {
      cwd: root,
      env: { ...process.env, CAM_PW: cam.def.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('Evil<U+009B>2J<U+202E>gpj.exe');
    expect(out).toContain('<U+202E>niam<U+009B>0m');
    expect(out).not.toMatch(RAW);
  }, 60_000);

  it('inspect: progress lines and the summary carry markers only', async () => {
    const store = openStore(join(dir, 'terminal.db'));
    try {
      store.upsertSite({ id: 'T1', name: 'Terminal office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
      const lines: string[] = [];
      const { record } = await runFromFlags(store, {
        flags: { db: '', site: 'T1', interface: ['127.0.0.1'], inspector: ['T. Tester'], expert: [], stream: false },
        kind: 'first',
        settings: { ...DEFAULT_PORT_SETTINGS, discoveryPort, discoveryMs: 1000, callTimeoutMs: 2000 },
        credentials: () => ({ username: 'admin', password: cam.def.password }),
        log: (l) => lines.push(l),
      });
      const shown = [...lines, summaryText(record)].join('\n');
      expect(shown).toContain('Evil<U+009B>2J<U+202E>gpj.exe');
      expect(shown).not.toMatch(RAW);
    } finally {
      store.close();
    }
  }, 60_000);

  it('terminal UI: the device table and the device view render the markers', () => {
    const sample = firstInspection();
    const base = sample.devices[0];
    if (!base) throw new Error('sample has no device');
    const evil: DeviceRecord = { ...base, identity: { ...base.identity, manufacturer: 'E\u001b[2J\u009b2J', model: 'M\u202egpj.exe' }, errors: ['bad \u001b]0;title\u0007'] };
    const state = { ...initialState('en'), screen: 'devices' as const, record: { ...sample, devices: [evil] } };
    const table = render(<DevicesTable state={state} height={20} />);
    const frame = table.lastFrame() ?? '';
    table.unmount();
    // Cut to the vendor column (11), the marker first.
    expect(frame).toContain('E<U+001B>');
    expect(frame).not.toMatch(RAW);
    const view = render(<DeviceView lang="en" device={evil} evidence={[]} snapshots={[]} colours={null} height={30} scroll={0} />);
    const viewFrame = view.lastFrame() ?? '';
    view.unmount();
    expect(viewFrame).toContain('M<U+202E>gpj.exe');
    expect(viewFrame).toContain('bad <U+001B>]0;title<U+0007>');
    expect(viewFrame).not.toMatch(RAW);
  });
});

describe('the terminal UI device table where addresses repeat', () => {
  it('shows each device with the port of its service address', () => {
    const sample = firstInspection();
    const [a, b] = sample.devices;
    if (!a || !b) throw new Error('sample needs two devices');
    const devices = [
      { ...a, address: '127.0.0.1', xaddr: 'http://127.0.0.1:8001/onvif/device_service' },
      { ...b, address: '127.0.0.1', xaddr: 'http://127.0.0.1:8002/onvif/device_service' },
    ];
    const state = { ...initialState('en'), screen: 'devices' as const, record: { ...sample, devices } };
    const table = render(<DevicesTable state={state} height={20} />);
    const frame = table.lastFrame() ?? '';
    table.unmount();
    expect(frame).toContain('127.0.0.1:8001');
  });
});
