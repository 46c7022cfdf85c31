/**
 * The frame size a stream declares before any picture is decoded: H.264 and H.265 sequence parameter
 * sets (ITU-T H.264 7.3.2.1.1, H.265 7.3.2.2) as carried in an SDP's `sprop-parameter-sets` (RFC 6184)
 * or `sprop-sps` (RFC 7798), plus the `a=framesize` / `a=x-dimensions` hints some cameras add. Pure.
 *
 * A decoder allocates for the declared size: one SPS claiming 16000x16000 drove ffmpeg to 1.19 GB
 * before a single frame came out, so the stream gate refuses a declared size over the cap.
 */

export interface DeclaredSize {
  readonly width: number;
  readonly height: number;
}

/** Reads bits MSB first from an RBSP (emulation-prevention bytes already removed). */
class BitReader {
  private bit = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get position(): number {
    return this.bit;
  }

  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.bytes[this.bit >> 3];
      if (byte === undefined) throw new RangeError('SPS ends early');
      v = v * 2 + ((byte >> (7 - (this.bit & 7))) & 1);
      this.bit += 1;
    }
    return v;
  }

  skip(n: number): void {
    this.bit += n;
    if (this.bit > this.bytes.length * 8) throw new RangeError('SPS ends early');
  }

  /** Exp-Golomb ue(v); 31 leading zeros at most (a larger value is not a valid SPS field). */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) {
      zeros += 1;
      if (zeros > 31) throw new RangeError('Exp-Golomb code too long');
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -k / 2;
  }
}

/** NAL payload without its emulation-prevention bytes (00 00 03 -> 00 00). */
export const rbsp = (nal: Uint8Array): Uint8Array => {
  const out = new Uint8Array(nal.length);
  let n = 0;
  let zeros = 0;
  for (const b of nal) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[n++] = b;
  }
  return out.subarray(0, n);
};

/** Profiles whose SPS carries chroma format, bit depths and scaling lists (H.264 7.3.2.1.1). */
const H264_HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

const skipScalingList = (r: BitReader, size: number): void => {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size && next !== 0; j++) {
    next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
};

/** Where the size fields of an H.264 SPS lie, in bits of its RBSP (the simulator rewrites them). */
export interface H264SpsLayout extends DeclaredSize {
  /** Bit offsets: pic_width_in_mbs_minus1 starts at `sizeFieldsStart`; frame_mbs_only_flag at `sizeFieldsEnd`. */
  readonly sizeFieldsStart: number;
  readonly sizeFieldsEnd: number;
}

/** The coded size of an H.264 SPS NAL unit (header byte included); null when it is not one or is cut. */
export const h264SpsLayout = (nal: Uint8Array): H264SpsLayout | null => {
  if (((nal[0] ?? 0) & 0x1f) !== 7) return null;
  const r = new BitReader(rbsp(nal.subarray(1)));
  try {
    const profile = r.u(8);
    r.skip(16); // constraint flags, level_idc
    r.ue(); // seq_parameter_set_id
    if (H264_HIGH_PROFILES.has(profile)) {
      const chroma = r.ue();
      if (chroma === 3) r.skip(1);
      r.ue();
      r.ue();
      r.skip(1);
      if (r.u(1) === 1) for (let i = 0; i < (chroma === 3 ? 12 : 8); i++) if (r.u(1) === 1) skipScalingList(r, i < 6 ? 16 : 64);
    }
    r.ue(); // log2_max_frame_num_minus4
    const pocType = r.ue();
    if (pocType === 0) r.ue();
    else if (pocType === 1) {
      r.skip(1);
      r.se();
      r.se();
      const cycle = r.ue();
      if (cycle > 255) return null;
      for (let i = 0; i < cycle; i++) r.se();
    }
    r.ue(); // max_num_ref_frames
    r.skip(1);
    const sizeFieldsStart = r.position;
    const widthMbs = r.ue() + 1;
    const heightMapUnits = r.ue() + 1;
    const sizeFieldsEnd = r.position;
    const frameMbsOnly = r.u(1);
    // Coded size, before cropping: what the decoder allocates.
    return { width: widthMbs * 16, height: (2 - frameMbsOnly) * heightMapUnits * 16, sizeFieldsStart, sizeFieldsEnd };
  } catch {
    return null;
  }
};

/** The size in an H.265 SPS NAL unit (2-byte header included); null when it is not one or is cut. */
export const h265SpsSize = (nal: Uint8Array): DeclaredSize | null => {
  if ((((nal[0] ?? 0) >> 1) & 0x3f) !== 33) return null;
  const r = new BitReader(rbsp(nal.subarray(2)));
  try {
    r.skip(4); // sps_video_parameter_set_id
    const subLayers = r.u(3);
    r.skip(1);
    // profile_tier_level(1, sps_max_sub_layers_minus1): 88 bits of general profile, 8 of level.
    r.skip(96);
    const present: [boolean, boolean][] = [];
    for (let i = 0; i < subLayers; i++) present.push([r.u(1) === 1, r.u(1) === 1]);
    if (subLayers > 0) r.skip(2 * (8 - subLayers));
    for (const [profile, level] of present) r.skip((profile ? 88 : 0) + (level ? 8 : 0));
    r.ue(); // sps_seq_parameter_set_id
    if (r.ue() === 3) r.skip(1);
    return { width: r.ue(), height: r.ue() };
  } catch {
    return null;
  }
};

const base64Nals = (list: string): Uint8Array[] => list.split(',').map((b) => new Uint8Array(Buffer.from(b, 'base64')));

/** Every frame size an SDP declares, from parameter sets and size attributes. */
export const sdpDeclaredSizes = (sdp: string): DeclaredSize[] => {
  const sizes: DeclaredSize[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const h264 = /sprop-parameter-sets=([A-Za-z0-9+/=,]+)/i.exec(line)?.[1];
    if (h264) for (const nal of base64Nals(h264)) sizes.push(...[h264SpsLayout(nal)].filter((s) => s !== null));
    const h265 = /sprop-sps=([A-Za-z0-9+/=,]+)/i.exec(line)?.[1];
    if (h265) for (const nal of base64Nals(h265)) sizes.push(...[h265SpsSize(nal)].filter((s) => s !== null));
    const hint = /^a=(?:framesize:\S+\s+(\d+)-(\d+)|x-dimensions:\s*(\d+),\s*(\d+))/i.exec(line);
    if (hint) sizes.push({ width: Number(hint[1] ?? hint[3]), height: Number(hint[2] ?? hint[4]) });
  }
  return sizes.map((s) => ({ width: s.width, height: s.height }));
};
