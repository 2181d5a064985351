/**
 * The compression lever, by time to flash rather than by size: for zlib at levels 1, 6 and 9
 * (what nodeflash and esptool use: 9) and a stronger deflate encoder (zopfli, npm
 * `@gfx/zopfli`), the compressed size, the host CPU time to make it, and what the two together
 * cost at each rate: compressing happens before the first block goes out, so its time adds to
 * the wire time of the stream (framing: 26 bytes per 16 KiB block, SLIP escapes measured on the
 * stream itself).
 *
 * @module
 */

import { deflateSync } from "node:zlib";
import { zlibAsync } from "@gfx/zopfli";

/** One encoder's figures. */
export interface EncoderFigures {
  /** `zlib -9`, `zopfli (5 iterations)`... */
  name: string;
  /** Compressed bytes. */
  bytes: number;
  /** Host CPU time to compress, ms (the fastest of a few runs). */
  cpuMs: number;
  /** Wire bytes of the stream in 16 KiB FLASH_DEFL_DATA frames. */
  wireBytes: number;
}

function wireOf(stream: Uint8Array): number {
  let escapes = 0;
  for (const b of stream) if (b === 0xc0 || b === 0xdb) escapes++;
  const blocks = Math.ceil(stream.length / 0x4000);
  return stream.length + escapes + blocks * 26;
}

async function timed(fn: () => Promise<Uint8Array> | Uint8Array, runs: number) {
  let best = Infinity;
  let out: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { out, ms: best };
}

/**
 * Measures the encoders on an image.
 *
 * @param image the image
 * @returns one row per encoder, zlib -9 first
 */
export async function measureEncoders(image: Uint8Array): Promise<EncoderFigures[]> {
  const rows: EncoderFigures[] = [];
  for (const level of [9, 6, 1]) {
    const { out, ms } = await timed(() => new Uint8Array(deflateSync(image, { level })), 5);
    rows.push({ name: `zlib -${level}`, bytes: out.length, cpuMs: ms, wireBytes: wireOf(out) });
  }
  for (const numiterations of [1, 5]) {
    const { out, ms } = await timed(
      () => zlibAsync(image, { numiterations }) as Promise<Uint8Array>,
      1,
    );
    rows.push({
      name: `zopfli (${numiterations} iteration${numiterations > 1 ? "s" : ""})`,
      bytes: out.length,
      cpuMs: ms,
      wireBytes: wireOf(out),
    });
  }
  return rows;
}

/**
 * Host compression plus wire time of an encoder's stream at a rate, seconds.
 *
 * @param row the encoder's figures
 * @param baud the rate
 * @returns seconds
 */
export function timeToSend(row: EncoderFigures, baud: number): number {
  return row.cpuMs / 1000 + row.wireBytes * 10 / baud;
}
