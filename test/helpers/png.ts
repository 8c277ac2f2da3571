/** A small PNG reader for screenshot tests: 8-bit RGB or RGBA, non-interlaced (what Chromium writes). */
import { inflateSync } from "node:zlib";

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  pixels: Uint8Array;
}

export function readPng(data: Buffer): Image {
  if (data.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString("latin1", offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const color = body[9];
      if (depth !== 8 || (color !== 2 && color !== 6) || body[12] !== 0) throw new Error("unsupported PNG format");
      channels = color === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (row[x - channels] as number) : 0;
      const b = previous[x] as number;
      const c = x >= channels ? (previous[x - channels] as number) : 0;
      const value = line[x] as number;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[x] = (value + predicted) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const to = (y * width + x) * 4;
      out[to] = row[x * channels] as number;
      out[to + 1] = row[x * channels + 1] as number;
      out[to + 2] = row[x * channels + 2] as number;
      out[to + 3] = channels === 4 ? (row[x * channels + 3] as number) : 255;
    }
    previous = row;
  }
  return { width, height, pixels: out };
}

/** Pixels within `tolerance` of a colour (#rrggbb). */
export function countColor(image: Image, hex: string, tolerance = 12): number {
  const r = Number.parseInt(hex.slice(1, 3), 16);
  const g = Number.parseInt(hex.slice(3, 5), 16);
  const b = Number.parseInt(hex.slice(5, 7), 16);
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += 4) {
    if (
      Math.abs((image.pixels[i] as number) - r) <= tolerance &&
      Math.abs((image.pixels[i + 1] as number) - g) <= tolerance &&
      Math.abs((image.pixels[i + 2] as number) - b) <= tolerance
    )
      count++;
  }
  return count;
}
