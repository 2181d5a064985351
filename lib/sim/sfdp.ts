/**
 * The SFDP (JESD216 Serial Flash Discoverable Parameters) area a W25Q-class chip returns to the
 * 0x5A command: the "SFDP" signature, one parameter header, and a 9-word Basic Flash Parameter
 * Table at 0x80 describing the chip (density, 4 KiB / 32 KiB / 64 KiB erase opcodes, fast-read
 * modes). Unused bytes read 0xFF.
 *
 * @module
 */

/** Size of the SFDP space the simulated chip answers for; reads beyond it return 0xFF. */
export const SFDP_SIZE = 0x100;

/**
 * Builds the SFDP space for a chip.
 *
 * @param sizeBytes chip size
 * @returns {@link SFDP_SIZE} bytes
 *
 * @example
 * ```ts
 * import { sfdpTable } from "./sfdp.ts";
 * import assert from "node:assert/strict";
 * const t = sfdpTable(4 * 1024 * 1024);
 * assert.equal(new TextDecoder().decode(t.subarray(0, 4)), "SFDP");
 * assert.equal(new DataView(t.buffer).getUint32(0x84, true), 32 * 1024 * 1024 - 1); // density in bits - 1
 * ```
 */
export function sfdpTable(sizeBytes: number): Uint8Array {
  const t = new Uint8Array(SFDP_SIZE).fill(0xff);
  const view = new DataView(t.buffer);
  // SFDP header: signature, revision 1.0, one parameter header (NPH = 0), access protocol 0xFF.
  t.set([0x53, 0x46, 0x44, 0x50, 0x00, 0x01, 0x00, 0xff], 0);
  // Parameter header 0: JEDEC basic table (ID 0x00/0xFF), rev 1.0, 9 DWORDs at 0x000080.
  t.set([0x00, 0x00, 0x01, 0x09, 0x80, 0x00, 0x00, 0xff], 8);
  const words = [
    0xfff120e5, // 4 KiB erase (0x20), 64-byte write granularity, 1-1-2 / 1-2-2 / 1-4-4 / 1-1-4
    sizeBytes * 8 - 1, // density in bits, minus one
    0x6b08eb44, // 1-4-4 (0xEB, 4 wait + 2 mode clocks), 1-1-4 (0x6B, 8 wait)
    0xbb803b08, // 1-1-2 (0x3B, 8 wait), 1-2-2 (0xBB, 4 mode clocks)
    0xffffffee, // no 2-2-2, no 4-4-4
    0xff00ffff,
    0xff00ffff,
    0x520f200c, // erase types: 4 KiB = 0x20, 32 KiB = 0x52
    0xff00d810, // erase type 3: 64 KiB = 0xD8
  ];
  words.forEach((w, i) => view.setUint32(0x80 + i * 4, w >>> 0, true));
  return t;
}
