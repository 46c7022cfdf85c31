import type { Command } from 'commander';
import { register as tui } from './tui.js';
import { register as scan } from './scan.js';
import { register as probe } from './probe.js';
import { register as simulate } from './simulate.js';
import { register as detect } from './detect.js';
import { register as stream } from './stream.js';
import { register as inspect } from './inspect.js';
import { register as demo } from './demo.js';
import { register as verify } from './verify.js';
import { register as sites } from './sites.js';
import { register as checklist } from './checklist.js';
import { register as sign } from './sign.js';
import { register as report } from './report.js';
import { register as recheck } from './recheck.js';
import { register as campaign } from './campaign.js';
import { register as exportBundle } from './export.js';
import { register as importBundle } from './import.js';

/** Each command module adds itself to the program and lazy-loads its implementation. */
export const registerCommands = (program: Command): void => {
  tui(program);
  scan(program);
  probe(program);
  simulate(program);
  detect(program);
  stream(program);
  inspect(program);
  demo(program);
  verify(program);
  sites(program);
  checklist(program);
  sign(program);
  report(program);
  recheck(program);
  campaign(program);
  exportBundle(program);
  importBundle(program);
};
