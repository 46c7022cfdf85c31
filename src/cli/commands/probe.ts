/** `camaudit probe`: configuration probe of one device, as a summary or JSON. */
import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import { terminalLine } from '../../report/text.js';
import type { ConfigProbe } from '../../core/types.js';
import { UnreachableError, UsageError } from '../exit.js';
import { parsePositiveInt } from './scan.js';

export interface ProbeInput {
  readonly user?: string;
  readonly passwordEnv?: string;
  readonly timeout: string;
  readonly json?: boolean;
  /** Test each profile's stream with the face detector (default true; `--no-stream` skips it). */
  readonly stream?: boolean;
  readonly frames?: string;
  /** Answer an RTSP camera that offers only Basic auth over plain RTSP (the password in clear). */
  readonly allowBasicRtsp?: boolean;
}

/** Hidden prompt on the controlling terminal; the password is never echoed or stored. */
const promptHidden = (question: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (result: string | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (result === null) reject(new UsageError('password prompt cancelled'));
      else resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });

export const resolvePassword = async (input: Pick<ProbeInput, 'user' | 'passwordEnv'>, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> => {
  if (input.passwordEnv !== undefined) {
    if (input.user === undefined) throw new UsageError('--password-env needs --user');
    const v = env[input.passwordEnv];
    if (v === undefined) throw new UsageError(`environment variable ${input.passwordEnv} is not set`);
    return v;
  }
  if (input.user === undefined) return undefined;
  if (!process.stdin.isTTY) throw new UsageError('--user without --password-env needs a terminal for the password prompt');
  return promptHidden(`Password for ${input.user}: `);
};

const yesNo = (v: boolean | null): string => (v === null ? 'unknown' : v ? 'yes' : 'no');

export const probeSummary = (p: ConfigProbe): string => {
  const d = p.device;
  const lines = [
    `Device      ${d.manufacturer ?? '?'} ${d.model ?? '?'}  firmware ${d.firmware ?? '?'}  serial ${d.serial ?? '?'}`,
    `Address     ${p.xaddr}${p.clockOffsetMs === null ? '' : `  (device clock ${p.clockOffsetMs >= 0 ? '+' : ''}${Math.round(p.clockOffsetMs / 1000)} s)`}`,
    `Profiles    ${p.profiles.length}`,
    ...p.profiles.map((pr) => `  ${pr.token}: ${pr.encoder ?? '?'} ${pr.width ?? '?'}x${pr.height ?? '?'}  ${pr.rtsp ?? '-'}`),
    `Face        supported: ${yesNo(p.face.supported)}   enabled: ${yesNo(p.face.enabled)}`,
    ...p.face.reasons.map((r) => `  [${r.bears}] ${r.source} ${r.name} (pattern ${r.pattern}${r.call ? `, ${r.call}` : ''})`),
    `Calls       ${p.calls.length} (${p.calls.filter((c) => c.status === 'ok').length} ok)`,
    ...p.errors.map((e) => `  ${e.action}: ${describeError(e.error)}`),
  ];
  return `${lines.map(terminalLine).join('\n')}\n`;
};

export const runProbe = async (xaddr: string, input: ProbeInput): Promise<void> => {
  const timeoutMs = parsePositiveInt('--timeout', input.timeout, 600_000);
  if (!/^https?:\/\//i.test(xaddr)) throw new UsageError(`expected an http:// device address, got ${JSON.stringify(xaddr)}`);
  const frames = input.frames === undefined ? 5 : parsePositiveInt('--frames', input.frames, 100);
  const password = await resolvePassword(input);
  const { probeUnrecorded } = await import('../../visit/engine.js');
  const { DEFAULT_PORT_SETTINGS, realPorts } = await import('../../pipeline/ports.js');
  const { probeToJson } = await import('../../onvif/probe-json.js');
  const { streamToJson } = await import('../../assess/stream.js');
  const ports = realPorts({ ...DEFAULT_PORT_SETTINGS, callTimeoutMs: timeoutMs, streamFrames: frames, streamSeconds: 5, ...(input.allowBasicRtsp ? { allowBasicRtsp: true } : {}) });
  const streams: TestedStream[] = [];
  try {
    const result = await probeUnrecorded(ports, xaddr, input.user !== undefined && password !== undefined ? { username: input.user, password } : null, {
      streamTests: input.stream !== false,
      signal: new AbortController().signal,
      emit: (e) => {
        if (e.type !== 'stream-done') return;
        const { profile, facts } = e;
        streams.push(
          e.contacted
            ? {
                profile,
                json: streamToJson(facts),
                line: `${facts.frames} frames, ${facts.facesSeen} faces, max eye distance ${facts.maxEyeDistance ?? '-'} px, grade ${facts.captureGrade}${facts.error ? ` (${describeError(facts.error)})` : ''}`,
              }
            : { profile, json: { uri: facts.uri, error: 'outside the probed host: not contacted' }, line: `${facts.uri}: outside the probed host, not contacted` },
        );
      },
    });
    if (!result.config) throw new UnreachableError(`${xaddr}: ${result.error ? describeError(result.error) : 'no answer'}`);
    if (input.json) {
      const main = streams[0];
      const json = { ...probeToJson(result.config), ...(main ? { stream: main.json, streams: streams.map((s) => ({ profile: s.profile, ...s.json })) } : {}) };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      process.stdout.write(probeSummary(result.config));
      for (const s of streams) process.stdout.write(`${terminalLine(`Stream      ${s.profile}: ${s.line}`)}\n`);
    }
  } finally {
    await ports.close();
  }
};

interface TestedStream {
  readonly profile: string;
  readonly json: Record<string, unknown>;
  readonly line: string;
}

interface ProbeFlags {
  readonly user?: string;
  readonly passwordEnv?: string;
  readonly timeout: string;
  readonly json?: boolean;
  readonly stream: boolean;
  readonly frames: string;
  readonly allowBasicRtsp?: boolean;
}

export const register = (program: Command): void => {
  program
    .command('probe')
    .description('Read a camera\'s configuration (read-only ONVIF and vendor calls) and assess face capture')
    .argument('<xaddr>', 'device service address, e.g. http://192.0.2.10/onvif/device_service')
    .option('--user <name>', 'user name for WS-UsernameToken / HTTP digest')
    .option('--password-env <VAR>', 'read the password from this environment variable (never pass it as an argument)')
    .option('--timeout <ms>', 'deadline per call (total, not idle)', '5000')
    .option('--json', 'print JSON')
    .option('--no-stream', 'skip the stream test')
    .option('--frames <n>', 'frames per stream test', '5')
    .option('--allow-basic-rtsp', 'answer a camera that offers only Basic auth over plain RTSP (sends the password in clear)')
    .action(async (xaddr: string, flags: ProbeFlags) => {
      await runProbe(xaddr, flags);
    });
};
