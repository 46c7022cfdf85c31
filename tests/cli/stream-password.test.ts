/**
 * `--user` without `--password-env`: the password is asked for without echo on a terminal, and without
 * a terminal the command stops with a usage error; an empty password is never used in its place.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileRtsp, type HostileRtspHandle } from '../../src/sim/hostile-rtsp.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = [process.execPath, '--import', 'tsx', 'src/cli/run.ts'];

/** Runs a command with stdin a pipe (not a terminal), without blocking this event loop. */
const run = (argv: readonly string[], input?: string): Promise<{ status: number | null; out: string }> =>
  new Promise((resolve) => {
    const [cmd = '', ...args] = argv;
    const child = spawn(cmd, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(input);
    child.on('close', (status) => resolve({ status, out }));
  });

/** Runs the CLI on a pseudo-terminal, typing `password` and Enter once the prompt shows. */
const PTY = `
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b''
typed = False
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not typed and b'Password for' in out:
        time.sleep(0.2)
        os.write(fd, sys.argv[1].encode() + b'\\r')
        typed = True
sys.stdout.write(out.decode('utf-8', 'replace'))
sys.exit(os.waitpid(pid, 0)[1] >> 8)
`;

let camera: HostileRtspHandle | null = null;
afterEach(async () => {
  await camera?.close();
  camera = null;
});

describe('a password for --user', () => {
  it.each([
    ['stream', 'rtsp://127.0.0.1:9/live'],
    ['probe', 'http://127.0.0.1:9/onvif/device_service'],
  ])('%s without a terminal: exit 2 with a clear message, no attempt with an empty password', async (command, target) => {
    const r = await run([...CLI, command, target, '--user', 'admin', '--frames', '1']);
    expect(r.status, r.out).toBe(2);
    expect(r.out).toMatch(/--user without --password-env needs a terminal for the password prompt/);
    expect(r.out).not.toMatch(/\n\s+at /);
  });

  it('stream on a terminal: prompted without echo, and the typed password is the one sent', async () => {
    camera = await startHostileRtsp('rtsp-basic');
    const password = `typed-${process.pid}`;
    const r = await run(['/usr/bin/python3', '-c', PTY, password, ...CLI, 'stream', camera.url('/live'), '--user', 'admin', '--frames', '1', '--seconds', '1', '--allow-basic-rtsp']);
    expect(r.out).toContain('Password for admin: ');
    expect(r.out).not.toContain(password);
    expect(camera.authorizations).toEqual([`Basic ${Buffer.from(`admin:${password}`).toString('base64')}`]);
    expect(r.status, r.out).toBe(3);
  });
});
