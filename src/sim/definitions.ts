/**
 * Simulated cameras as data. The sales office below is fictional (names, serials, credentials and the
 * office itself are made up); only the response templates come from real cameras.
 */
import { randomInt } from 'node:crypto';
import type { SceneName } from './scenes.js';

export type SiteState = 'normal' | 'rectified';

/** Which vendor HTTP API the camera serves besides ONVIF (`odd`: none). */
export type SimVendor = 'hikvision' | 'dahua' | 'odd';

/** Which face-capture facts the camera exposes, and through which interface. */
export interface FaceFeatures {
  /** ONVIF tt:FaceDetectorEngine module (+ tt:FaceDetector rule when enabled); null: no such module. */
  readonly onvifModule: 'enabled' | 'disabled' | null;
  /** Face event topic under tns1:RuleEngine: ONVIF-style `FaceDetector/Face` or a vendor-namespace one. */
  readonly eventTopic: 'onvif' | 'vendor' | null;
  /** Hikvision ISAPI face snap: capability flags, and whether the faceSnap trigger notifies anyone. */
  readonly isapiFaceSnap: 'enabled' | 'disabled' | null;
  /** Dahua VideoAnalyseRule entry of type FaceDetection. */
  readonly dahuaFaceRule: 'enabled' | 'disabled' | null;
}

/** Misbehaviour copied from real odd devices. */
export interface Quirks {
  /** Actions answered with a real SOAP fault (Axis `ter:Action` "Action failed"). */
  readonly faultActions: readonly string[];
  /** Actions answered with the real non-well-formed XM530 GetProfiles body. */
  readonly malformedActions: readonly string[];
  /** Actions answered after `slowMs`. */
  readonly slowActions: readonly string[];
  readonly slowMs: number;
  /** The real blank-manufacturer GetDeviceInformation (IPD-H4K8M05-BS). */
  readonly blankManufacturer: boolean;
}

export interface CameraDef {
  readonly name: string;
  readonly vendor: SimVendor;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
  readonly serial: string;
  readonly hardwareId: string;
  readonly username: string;
  readonly password: string;
  /** The camera's clock minus true time: clients must use the device clock for WS-UsernameToken. */
  readonly clockOffsetMs: number;
  /** WS-Discovery endpoint reference, `urn:uuid:...`. */
  readonly endpoint: string;
  /** Scope `onvif://www.onvif.org/location/...` value. */
  readonly location: string;
  readonly scene: SceneName;
  /** Media2 service (tr2) offered in GetServices. */
  readonly media2: boolean;
  readonly face: FaceFeatures;
  readonly quirks?: Quirks;
  /**
   * false: ONVIF switched off (Hikvision firmware V5.5.0 and later ships so): no WS-Discovery answer and
   * 404 on /onvif/; the device is found by SADP or DHIP only. Default true.
   */
  readonly onvif?: boolean;
  /** Hik-Connect (cloud P2P) as SADP reports it; absent: supported but off. */
  readonly cloud?: 'enabled' | 'disabled';
}

const NO_FACE: FaceFeatures = { onvifModule: null, eventTopic: null, isapiFaceSnap: null, dahuaFaceRule: null };
const MINUTE_MS = 60_000;

/**
 * A random 24-bit instance number. Endpoint references must be unique on a network: two simulators running
 * at once (tests in parallel, a demo beside a test) would otherwise announce the same uuids and be merged
 * by any discovery client that dedupes by endpoint, as it should.
 */
export const newInstanceId = (): number => randomInt(0, 0x100_0000);

const PROCESS_INSTANCE = newInstanceId();

/** A fictional uuid: stable for one camera of one simulator instance (across state switches). */
export const fictionalUuid = (n: number, instance: number = PROCESS_INSTANCE): string => {
  return `urn:uuid:5e1f0a00-ca4a-4d17-8000-${instance.toString(16).padStart(6, '0')}${n.toString(16).padStart(6, '0')}`;
};

/**
 * An ordinary camera (no face features) built from the Hikvision DS-2CD2012-I profile; cheap to make by the
 * hundred. Like the real model it also serves ISAPI, whose face flags are false.
 */
export const ordinaryCamera = (index: number, overrides: Partial<CameraDef> = {}): CameraDef => ({
  name: `cam-${String(index).padStart(3, '0')}`,
  vendor: 'hikvision',
  manufacturer: 'HIKVISION',
  model: 'DS-2CD2012-I',
  firmware: 'V5.2.0 build 140721',
  serial: `DS-2CD2012-I2015SIM${String(index).padStart(6, '0')}`,
  hardwareId: '88',
  username: 'admin',
  password: `Sim-${String(index).padStart(3, '0')}-pass`,
  clockOffsetMs: 0,
  endpoint: fictionalUuid(1000 + index),
  location: 'office/fictional',
  scene: 'empty',
  media2: false,
  face: NO_FACE,
  ...overrides,
});

/** The fictional sales office of DESIGN.md, in the given state; `instance` makes its endpoint uuids its own. */
export const salesOffice = (state: SiteState, instance: number = PROCESS_INSTANCE): CameraDef[] => {
  const rectified = state === 'rectified';
  const cams: CameraDef[] = [
    {
      name: 'entrance-face',
      vendor: 'hikvision',
      manufacturer: 'HIKVISION',
      model: 'iDS-2CD7146G0-IZS',
      firmware: 'V5.5.800 build 210628',
      serial: 'iDS-2CD7146G0-IZS20210701AACHSIM0001',
      hardwareId: '88',
      username: 'admin',
      password: 'Entr4nce-Face!',
      clockOffsetMs: 47 * MINUTE_MS,
      endpoint: fictionalUuid(1, instance),
      location: 'sales-office/entrance',
      scene: 'faces-near',
      media2: true,
      face: rectified
        ? { onvifModule: 'disabled', eventTopic: 'onvif', isapiFaceSnap: 'disabled', dahuaFaceRule: null }
        : { onvifModule: 'enabled', eventTopic: 'onvif', isapiFaceSnap: 'enabled', dahuaFaceRule: null },
    },
    {
      name: 'entrance-isapi',
      vendor: 'hikvision',
      manufacturer: 'HIKVISION',
      model: 'DS-2CD2346G2-ISU/SL',
      firmware: 'V5.7.3 build 220112',
      serial: 'DS-2CD2346G2-ISU/SL20220301AACHSIM0002',
      hardwareId: '88',
      username: 'admin',
      password: 'Isapi-Door-2',
      clockOffsetMs: -2 * MINUTE_MS,
      endpoint: fictionalUuid(2, instance),
      location: 'sales-office/entrance',
      scene: 'faces-near',
      media2: false,
      face: { ...NO_FACE, isapiFaceSnap: 'enabled' },
    },
    {
      name: 'entrance-dahua',
      vendor: 'dahua',
      manufacturer: 'Dahua',
      model: 'DH-IPC-HFW5442E-ZE',
      firmware: '2.800.0000000.23.R',
      serial: '7J0A1SIM0000003',
      hardwareId: '1.00',
      username: 'admin',
      password: 'Dahua-Gate-3',
      clockOffsetMs: 9 * MINUTE_MS,
      endpoint: fictionalUuid(3, instance),
      location: 'sales-office/side-entrance',
      scene: 'faces-near',
      media2: false,
      face: { ...NO_FACE, dahuaFaceRule: rectified ? null : 'enabled' },
    },
    ordinaryCamera(4, {
      name: 'sandtable',
      serial: 'DS-2CD2012-I20190301SIM0004',
      password: 'Sand-Table-4',
      clockOffsetMs: -3 * 60 * MINUTE_MS,
      endpoint: fictionalUuid(4, instance),
      location: 'sales-office/sand-table',
      scene: 'faces-far',
    }),
    ordinaryCamera(5, {
      name: 'negotiation',
      serial: 'DS-2CD2012-I20190301SIM0005',
      password: 'Nego-Area-5',
      clockOffsetMs: 30_000,
      endpoint: fictionalUuid(5, instance),
      location: 'sales-office/negotiation',
      scene: 'empty',
      face: { ...NO_FACE, eventTopic: 'vendor' },
    }),
    {
      // Hikvision firmware V5.5.0 and later ships with ONVIF off: only SADP and ISAPI (digest) show this one.
      name: 'lobby-hik',
      vendor: 'hikvision',
      manufacturer: 'HIKVISION',
      model: 'DS-2CD2155FWD-I',
      firmware: 'V5.5.0 build 170725',
      serial: 'DS-2CD2155FWD-I20170801AACHSIM0008',
      hardwareId: '88',
      username: 'admin',
      password: 'Lobby-Hik-8',
      clockOffsetMs: 4 * MINUTE_MS,
      endpoint: fictionalUuid(8, instance),
      location: 'sales-office/lobby',
      scene: 'faces-near',
      media2: false,
      face: { ...NO_FACE, isapiFaceSnap: rectified ? 'disabled' : 'enabled' },
      onvif: false,
      cloud: rectified ? 'disabled' : 'enabled',
    },
    {
      // A Dahua camera with ONVIF off: found by DHIP only, read over CGI.
      name: 'side-dahua',
      vendor: 'dahua',
      manufacturer: 'Dahua',
      model: 'IPC-HDW5831R-ZE',
      firmware: '2.800.0000000.23.R',
      serial: '7J0A1SIM0000009',
      hardwareId: '1.00',
      username: 'admin',
      password: 'Side-Dahua-9',
      clockOffsetMs: -7 * MINUTE_MS,
      endpoint: fictionalUuid(9, instance),
      location: 'sales-office/side-door',
      scene: 'faces-near',
      media2: false,
      face: { ...NO_FACE, dahuaFaceRule: rectified ? null : 'enabled' },
      onvif: false,
    },
  ];
  if (!rectified) {
    cams.push({
      name: 'broken',
      vendor: 'odd',
      manufacturer: '',
      model: 'IPD-H4K8M05-BS',
      firmware: 'V1.04.10-190309',
      serial: '071D3E36963F',
      hardwareId: '1.0',
      username: 'admin',
      password: 'Odd-Box-6',
      clockOffsetMs: 0,
      endpoint: fictionalUuid(6, instance),
      location: 'sales-office/back-room',
      scene: 'empty',
      media2: false,
      face: NO_FACE,
      quirks: {
        faultActions: [
          'GetServices',
          'GetCapabilities',
          'GetScopes',
          'GetNetworkInterfaces',
          'GetVideoAnalyticsConfigurations',
          'GetSupportedAnalyticsModules',
          'GetAnalyticsModules',
          'GetSupportedRules',
          'GetRules',
          'GetEventProperties',
          'GetServiceCapabilities',
        ],
        malformedActions: ['GetProfiles'],
        slowActions: ['GetDeviceInformation', 'GetStreamUri'],
        slowMs: 1500,
        blankManufacturer: true,
      },
    });
  } else {
    cams.push(
      ordinaryCamera(7, {
        name: 'reception',
        serial: 'DS-2CD2012-I20240501SIM0007',
        password: 'Recep-7',
        clockOffsetMs: 5 * MINUTE_MS,
        endpoint: fictionalUuid(7, instance),
        location: 'sales-office/reception',
        scene: 'empty',
      }),
    );
  }
  return cams;
};
