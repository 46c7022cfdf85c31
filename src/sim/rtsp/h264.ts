
/** Payload size that keeps RTP over UDP under a 1500-byte Ethernet MTU. */
const MAX_RTP_PAYLOAD_BYTES = 1400;
/** Dynamic RTP payload type and clock of H.264 (RFC 6184). */
export const PAYLOAD_TYPE = 96;
export const RTP_CLOCK_HZ = 90_000;
/** Guards against an encoder that never emits a start code (a bug): drop its output past this. */
const MAX_NAL_BYTES = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// H.264 byte stream -> access units -> RTP payloads

export const NAL_SLICE_IDR = 5;
export const NAL_SPS = 7;
export const NAL_PPS = 8;
export const NAL_AUD = 9;
const NAL_FU_A = 28;
const START_CODE = Buffer.from([0, 0, 1]);

export const nalType = (nal: Buffer): number => (nal[0] ?? 0) & 0x1f;

/** Splits an Annex B byte stream, arriving in arbitrary chunks, into NAL units (copied). */
export class AnnexBSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private synced = false;

  constructor(private readonly onNal: (nal: Buffer) => void) {}

  push(chunk: Buffer): void {
    // A start code can straddle two chunks: rescan the last 3 bytes of what was already held.
    let from = Math.max(3, this.pending.length - 3);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.synced) {
      const first = this.pending.indexOf(START_CODE);
      if (first < 0) {
        this.pending = this.pending.subarray(Math.max(0, this.pending.length - 2));
        return;
      }
      this.pending = this.pending.subarray(first);
      this.synced = true;
      from = 3;
    }
    for (;;) {
      const next = this.pending.indexOf(START_CODE, from);
      if (next < 0) break;
      this.emit(this.pending.subarray(3, next));
      this.pending = this.pending.subarray(next);
      from = 3;
    }
    if (this.pending.length > MAX_NAL_BYTES) {
      this.pending = Buffer.alloc(0);
      this.synced = false;
    }
  }

  private emit(raw: Buffer): void {
    // The zero byte of a 4-byte start code (and trailing_zero_8bits) belongs to no NAL unit.
    let end = raw.length;
    while (end > 0 && raw[end - 1] === 0) end -= 1;
    if (end > 0) this.onNal(Buffer.from(raw.subarray(0, end)));
  }
}

/** RTP payloads for one NAL unit: as is when it fits, else FU-A fragments (RFC 6184 5.8). */
export const packetizeNal = (nal: Buffer, maxPayloadBytes = MAX_RTP_PAYLOAD_BYTES): Buffer[] => {
  if (nal.length <= maxPayloadBytes) return [nal];
  const header = nal[0] ?? 0;
  const indicator = (header & 0xe0) | NAL_FU_A;
  const body = nal.subarray(1);
  const chunkBytes = maxPayloadBytes - 2;
  const out: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += chunkBytes) {
    const end = Math.min(body.length, offset + chunkBytes);
    const fuHeader = (offset === 0 ? 0x80 : 0) | (end === body.length ? 0x40 : 0) | (header & 0x1f);
    out.push(Buffer.concat([Buffer.from([indicator, fuHeader]), body.subarray(offset, end)]));
  }
  return out;
};

export interface AccessUnit {
  /** RTP timestamp relative to the encoder's start (90 kHz). */
  readonly timestamp: number;
  readonly keyframe: boolean;
  /** RTP payloads in order; the last one carries the marker bit. */
  readonly payloads: readonly Buffer[];
  readonly bytes: number;
}

export interface ParameterSets {
  readonly sps: Buffer;
  readonly pps: Buffer;
}

