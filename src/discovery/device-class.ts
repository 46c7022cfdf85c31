/**
 * What kind of device an answer describes: camera, recorder (NVR/DVR), access terminal. Pure: from the
 * model family (Hikvision names encode it), Dahua's DeviceClass, and recorder hints (channels, disks).
 */
import type { DhipDevice } from './dhip.js';
import type { SadpDevice } from './sadp.js';

export type DeviceClass = 'camera' | 'recorder' | 'access-terminal' | 'unknown';

const MODEL_CLASSES: readonly (readonly [RegExp, DeviceClass])[] = [
  // Hikvision model families: DS-7/8/9 and iDS-7/9 recorders, DS-K access control and intercom, DS-2 cameras.
  [/^i?DS-[789]\d/i, 'recorder'],
  [/^DS-K/i, 'access-terminal'],
  [/^i?DS-2/i, 'camera'],
];
const DAHUA_CLASSES: Readonly<Record<string, DeviceClass>> = {
  IPC: 'camera', SD: 'camera', ITC: 'camera',
  NVR: 'recorder', DVR: 'recorder', XVR: 'recorder', HCVR: 'recorder', IVSS: 'recorder', EVS: 'recorder',
  VTO: 'access-terminal', ASI: 'access-terminal', ASC: 'access-terminal',
};

export const classOfModel = (model: string | null): DeviceClass => MODEL_CLASSES.find(([re]) => model !== null && re.test(model))?.[1] ?? 'unknown';

/** SADP: the model family first; failing that, channels or disks mark a recorder. */
export const sadpClass = (d: SadpDevice): DeviceClass => {
  const byModel = classOfModel(d.model);
  if (byModel !== 'unknown') return byModel;
  if ((d.disks ?? 0) > 0 || (d.analogChannels ?? 0) + (d.digitalChannels ?? 0) > 1) return 'recorder';
  if (d.model !== null && /camera|dome|ipc/i.test(d.model)) return 'camera';
  return 'unknown';
};

export const dhipClass = (d: DhipDevice): DeviceClass => {
  const byClass = d.deviceClass === null ? undefined : DAHUA_CLASSES[d.deviceClass.toUpperCase()];
  if (byClass) return byClass;
  return (d.remoteVideoInputs ?? 0) > 0 ? 'recorder' : 'unknown';
};

