/** `camaudit stream <url>`: the stream face-capture test alone (RTSP URL known, ONVIF off). */
import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import { UsageError } from '../exit.js';
import { resolvePassword } from './probe.js';
import { parsePositiveInt } from './scan.js';

interface StreamFlags {
  readonly frames: string;
  readonly seconds: string;
  readonly user?: string;
  readonly passwordEnv?: string;
  readonly snapshot?: string;
  readonly evidenceDir?: string;
  readonly allowBasicRtsp?: boolean;
  readonly json?: boolean;
}

export const register = (program: Command): void => {
  program
    .command('stream')
    .description('Pull frames from an RTSP or snapshot URL and measure the faces it captures (count, size, inter-eye distance, grade).')
    .argument('<url>', 'rtsp://... or http://... snapshot URL (credentials: use --user and --password-env)')
    .option('--frames <n>', 'frames to analyse', '5')
    .option('--seconds <s>', 'time window the frames are spread over', '5')
    .option('--user <name>', 'user name for the stream')
    .option('--password-env <VAR>', 'environment variable holding the password (never on the command line)')
    .option('--snapshot <url>', 'snapshot URL tried when RTSP gives no frame')
    .option('--evidence-dir <dir>', 'write face-blurred evidence JPEGs here')
    .option('--allow-basic-rtsp', 'answer a camera that offers only Basic auth over plain RTSP (sends the password in clear)')
    .option('--json', 'print JSON')
    .action(async (url: string, o: StreamFlags) => {
      const frames = parsePositiveInt('--frames', o.frames, 100);
      const seconds = parsePositiveInt('--seconds', o.seconds, 600);
      if (!/^(rtsp|http):\/\//i.test(url)) throw new UsageError(`expected an rtsp:// or http:// URL, got ${JSON.stringify(url.slice(0, 80))}`);
      // A user without --password-env is asked for the password (no echo); never an empty one in its place.
      const password = await resolvePassword(o);
      const credentials = o.user !== undefined && password !== undefined ? { user: o.user, password } : undefined;
      const { probeStream } = await import('../../stream/probe-stream.js');
      const { streamToJson } = await import('../../assess/stream.js');
      const facts = await probeStream(url, {
        frames,
        seconds,
        ...(credentials ? { credentials } : {}),
        ...(o.snapshot ? { snapshotUri: o.snapshot } : {}),
        ...(o.evidenceDir ? { evidenceDir: o.evidenceDir } : {}),
        ...(o.allowBasicRtsp ? { allowBasicRtsp: true } : {}),
      });
      if (o.json) process.stdout.write(`${JSON.stringify(streamToJson(facts), null, 2)}\n`);
      else {
        process.stdout.write(`${facts.uri}: ${facts.frames} frame(s) over ${facts.windowMs} ms via ${facts.source}\n`);
        process.stdout.write(`faces seen ${facts.facesSeen}; max eye distance ${facts.maxEyeDistance ?? '-'} px; median face width ${facts.medianFaceWidth ?? '-'} px; grade ${facts.captureGrade}\n`);
        for (const e of facts.evidence) process.stdout.write(`evidence ${e.sha256} ${e.width}x${e.height}, ${e.facesBlurred} face(s) blurred${e.file ? ` -> ${e.file}` : ''}\n`);
        if (facts.error) process.stdout.write(`error: ${describeError(facts.error)}\n`);
      }
      // No frame at all: the target could not be used; exit 3 like other unreachable targets.
      if (facts.frames === 0) process.exitCode = 3;
    });
};
