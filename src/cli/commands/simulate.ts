import type { Command } from 'commander';

interface SimulateFlags {
  readonly host: string;
  readonly basePort?: string;
  readonly state: string;
  readonly rtsp: boolean;
  readonly json?: boolean;
}

export const register = (program: Command): void => {
  program
    .command('simulate')
    .description('Run the simulated sales office (fictional cameras speaking ONVIF, WS-Discovery, ISAPI/Dahua CGI) until stopped')
    .option('--host <address>', 'address every simulated camera listens on', '127.0.0.1')
    .option('--base-port <n>', 'camera i listens on n+i, the control endpoint on n+50 (default: ephemeral ports)')
    .option('--state <state>', 'normal | rectified (switch later: POST the state to the control endpoint)', 'normal')
    .option('--no-rtsp', 'do not serve the cameras\' RTSP streams')
    .option('--json', 'one JSON line per camera, then one for the control endpoint')
    .action(async (flags: SimulateFlags) => {
      const { runSimulate } = await import('../simulate-command.js');
      await runSimulate({
        host: flags.host,
        basePort: flags.basePort,
        state: flags.state,
        rtsp: flags.rtsp,
        json: flags.json === true,
      });
    });
};
