// Reads the picture size an HEVC sequence parameter set declares (after its conformance
// cropping). Some encoders write a HEIF `ispe` size that disagrees with it by a few rows, which
// libheif refuses; the decoder uses this size instead and crops to the signalled one afterwards.

class Bits {
  private pos = 0;
  private readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.bytes[this.pos >> 3];
      if (byte === undefined) throw new Error('SPS ended early');
      v = v * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw new Error('bad exp-Golomb code');
    return 2 ** zeros - 1 + this.u(zeros);
  }
}

/** Drops the emulation-prevention bytes (00 00 03 → 00 00) of a NAL unit. */
function rbsp(nal: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < nal.length; i++) {
    if (i >= 2 && nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) continue;
    out.push(nal[i]!);
  }
  return Uint8Array.from(out);
}

/** The displayed size of an HEVC SPS NAL unit (with its two-byte NAL header). */
export function spsSize(nal: Uint8Array): { width: number; height: number } {
  const b = new Bits(rbsp(nal.subarray(2)));
  b.u(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = b.u(3);
  b.u(1); // temporal id nesting
  b.u(96); // general profile, tier and level
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    profilePresent.push(b.u(1) === 1);
    levelPresent.push(b.u(1) === 1);
  }
  if (maxSubLayersMinus1 > 0) for (let i = maxSubLayersMinus1; i < 8; i++) b.u(2);
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (profilePresent[i]) b.u(88);
    if (levelPresent[i]) b.u(8);
  }
  b.ue(); // sps_seq_parameter_set_id
  const chroma = b.ue();
  if (chroma === 3) b.u(1);
  let width = b.ue();
  let height = b.ue();
  if (b.u(1) === 1) {
    const subW = chroma === 1 || chroma === 2 ? 2 : 1;
    const subH = chroma === 1 ? 2 : 1;
    const [left, right, top, bottom] = [b.ue(), b.ue(), b.ue(), b.ue()];
    width -= subW * (left + right);
    height -= subH * (top + bottom);
  }
  return { width, height };
}

/** The SPS NAL units of an hvcC box's payload (after its 8-byte box header). */
export function spsFromHvcC(payload: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  let at = 22;
  const arrays = payload[at++] ?? 0;
  for (let a = 0; a < arrays; a++) {
    const type = (payload[at] ?? 0) & 0x3f;
    const count = ((payload[at + 1] ?? 0) << 8) | (payload[at + 2] ?? 0);
    at += 3;
    for (let n = 0; n < count; n++) {
      const len = ((payload[at] ?? 0) << 8) | (payload[at + 1] ?? 0);
      if (type === 33) found.push(payload.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
  }
  return found;
}
