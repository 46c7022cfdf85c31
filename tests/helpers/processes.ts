/** The processes running now, from /proc (Linux): for tests that watch what ffmpeg children do. */
import { readdir, readFile } from 'node:fs/promises';

export interface RunningProcess {
  readonly pid: string;
  /** Arguments joined by NUL, as /proc shows them. */
  readonly cmdline: string;
}

export const processesNaming = async (text: string): Promise<RunningProcess[]> => {
  const found: RunningProcess[] = [];
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push({ pid, cmdline });
  }
  return found;
};

/** Peak resident memory (VmHWM) of a process in MiB; 0 once it has gone. */
export const peakRssMb = async (pid: string): Promise<number> =>
  Number(/VmHWM:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1] ?? 0) / 1024;
