/**
 * Lua 5.1 LFS images as NodeMCU's firmware loads them (`app/lua/lflash.c`; built by
 * `luac.cross -f`, `app/lua/luac_cross/lflashimg.c`).
 *
 * **The file** is gzip (`lfs_inflate.ts`). Inflated, it is the flash image followed by a
 * relocation bitmap, one bit per 32-bit word of the image, set where the word is an address,
 * stored as a word offset from the image's start. The image starts with an 8-word header:
 * signature, image size in bytes, main function, string hash table, string count, hash size,
 * two reserved words. The signature is 0xFAFAA050 | format version (1 << 8) | 0x04 for float
 * builds (packed TValues) | 0x02 for integer builds; 0x01 marks an absolute image
 * (`luac.cross -a`), 0x08 a load in progress.
 *
 * **`node.LFS.reload(file)`** ({@link checkLfs51File}) first inflates the whole file without
 * writing, checking the header when the first 2 KiB are out (or the whole image, if smaller):
 * format version, build type, signature, size against the partition, size against the bitmap;
 * then the gzip CRC. Any failure is returned as the firmware's string and the LFS is untouched.
 * Then it erases the sectors the image needs and writes it, each address word relocated to
 * `4 × offset + mapped base` (0x40200000 + the partition's flash offset), the first word as
 * signature | 0x08 until the last block is written, then the real signature
 * ({@link relocateLfs51}); it prints `LFS region updated.  Restarting.` (no line end) and spins
 * until the watchdog resets the chip.
 *
 * **At every boot** ({@link inspectLfs51Flash}) the firmware reads the header in flash: an erased
 * or zero signature prints `No LFS image loaded`; a wrong one (another build, or a load cut
 * short) `Flash sig not correct: …`; a missing string table or a main function outside the
 * image `Flash size check failed: …`; otherwise the image is in use. Nothing is printed when the
 * build has no LFS partition.
 *
 * @module
 */

import { crc32, inflateGzip } from "./lfs_inflate.ts";

/** The signature's fixed part. */
export const LFS51_SIG_BASE = 0xfafaa050;
/** Format version bits (lflash.h `FLASH_FORMAT_VERSION`). */
const FORMAT_VERSION = 1 << 8;
const FORMAT_MASK = 0xf00;
const SIG_B2_MASK = 0x04;
/** Signature bit of an absolute image. */
export const LFS51_SIG_ABSOLUTE = 0x01;
/** Signature bit set while a load is being written. */
export const LFS51_SIG_IN_PROGRESS = 0x08;
const WRITE_BLOCK = 2048;
const SECTOR = 0x1000;
/** Where flash is mapped into the CPU's address space. */
export const FLASH_MAPPED_BASE = 0x40200000;

/** The firmware's number type (the banner's `build type`). */
export type Lua51NumberType = "float" | "integer";

/**
 * The signature an image must carry for a build.
 *
 * @param numberType the firmware's number type
 * @returns `FLASH_SIG`
 *
 * @example
 * ```ts
 * import { lfs51Signature } from "./lfs_image51.ts";
 * if (lfs51Signature("float") !== 0xfafaa154 || lfs51Signature("integer") !== 0xfafaa152) throw new Error();
 * ```
 */
export function lfs51Signature(numberType: Lua51NumberType): number {
  return (LFS51_SIG_BASE | FORMAT_VERSION | (numberType === "integer" ? 0x02 : 0x04)) >>> 0;
}

/** An image that passed the first pass. */
export interface Lfs51Payload {
  /** The signature in the file. */
  signature: number;
  /** The image's size in bytes (what the firmware writes). */
  flashSize: number;
  /** The image, addresses as word offsets. */
  image: Uint8Array;
  /** The relocation bitmap, one bit per word of the image. */
  relocations: Uint32Array;
}

/** The outcome of the first pass: the image, or the firmware's error string. */
export type Lfs51Check = { ok: true; payload: Lfs51Payload } | { ok: false; message: string };

/** What the first pass needs to know about the firmware. */
export interface Lfs51Build {
  /** The LFS partition's size in bytes (0: none). */
  partitionBytes: number;
  /** The firmware's number type. */
  numberType: Lua51NumberType;
}

const u32 = (b: Uint8Array, at: number) =>
  ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>>
  0;

/** The header checks `procFirstPass` makes on the first block; a message when one fails. */
function checkHeader(first: Uint8Array, outLength: number, build: Lfs51Build): string | undefined {
  const sig = u32(first, 0);
  const flashSize = u32(first, 4);
  const wanted = lfs51Signature(build.numberType);
  if ((sig & FORMAT_MASK) !== FORMAT_VERSION) return "Incorrect LFS header version";
  if ((sig & SIG_B2_MASK) !== (wanted & SIG_B2_MASK)) return "Incorrect LFS build type";
  if (((sig & ~LFS51_SIG_ABSOLUTE) >>> 0) !== wanted) return "incorrect LFS header signature";
  if (flashSize > build.partitionBytes) return "LFS Image too big for configured LFS region";
  const flagWords = Math.trunc((outLength - flashSize) / 4);
  const expected = 1 + Math.trunc((Math.trunc(flashSize / 4) - 1) / 32);
  if ((flashSize & 3) !== 0 || flagWords !== expected) return "LFS length mismatch";
  return undefined;
}

/**
 * The first pass of `node.LFS.reload(file)` on a Lua 5.1 build: every check the firmware makes
 * before it touches the flash, with its messages.
 *
 * @param file the file's contents, `undefined` when there is no such file
 * @param build the partition's size and the firmware's number type
 * @returns the image to write, or the firmware's error string
 *
 * @example
 * ```ts
 * import { checkLfs51File } from "./lfs_image51.ts";
 * import assert from "node:assert/strict";
 * const build = { partitionBytes: 0x10000, numberType: "float" as const };
 * assert.deepEqual(checkLfs51File(undefined, build), { ok: false, message: "LFS image file not found" });
 * assert.deepEqual(checkLfs51File(new Uint8Array(100), build), { ok: false, message: "read error on LFS image file" });
 * ```
 */
export function checkLfs51File(file: Uint8Array | undefined, build: Lfs51Build): Lfs51Check {
  const fail = (message: string): Lfs51Check => ({ ok: false, message });
  if (build.partitionBytes === 0) return fail("No LFS partition allocated");
  if (file === undefined) return fail("LFS image file not found");
  if (file.length <= 200) return fail("read error on LFS image file");
  const outLength = u32(file, file.length - 4);
  const result = inflateGzip(file);
  const firstBlock = Math.min(WRITE_BLOCK, outLength);
  if (result.output.length >= firstBlock && firstBlock > 0) {
    // (the header is read from the loader's 2 KiB buffer: what came out so far)
    const message = checkHeader(result.output.subarray(0, 32), outLength, build);
    if (message !== undefined) return fail(message);
  }
  if (result.failure === "dictionary") return fail("invalid dictionary offset on inflate");
  if (result.failure !== undefined) return fail("read error on LFS image file");
  // The running CRC covers the blocks handed over at each 2 KiB and at the stored length: an
  // output of another length (or one too short for the header check) cannot match.
  if (
    firstBlock === 0 || result.output.length !== outLength ||
    crc32(result.output) !== result.storedCrc
  ) return fail("checksum error on LFS image file");
  const flashSize = u32(result.output, 4);
  const bitmap = result.output.slice(flashSize, outLength);
  const relocations = new Uint32Array(Math.ceil(bitmap.length / 4));
  for (let i = 0; i < relocations.length; i++) relocations[i] = u32(bitmap, i * 4);
  return {
    ok: true,
    payload: {
      signature: u32(result.output, 0),
      flashSize,
      image: result.output.slice(0, flashSize),
      relocations,
    },
  };
}

/**
 * The bytes the second pass leaves in the LFS partition: the image with every tagged word
 * relocated to `4 × word + mappedBase` (absolute images are written as they are).
 *
 * @param payload the checked image
 * @param mappedBase 0x40200000 + the partition's flash offset
 * @returns the partition's first `flashSize` bytes
 *
 * @example
 * ```ts
 * import { relocateLfs51 } from "./lfs_image51.ts";
 * import assert from "node:assert/strict";
 * const image = new Uint8Array(12);
 * image.set([0x54, 0xa1, 0xfa, 0xfa, 12, 0, 0, 0, 2, 0, 0, 0]);
 * const out = relocateLfs51({ signature: 0xfafaa154, flashSize: 12, image, relocations: Uint32Array.of(0b100) }, 0x40280000);
 * assert.equal(new DataView(out.buffer).getUint32(8, true), 0x40280008);
 * ```
 */
export function relocateLfs51(payload: Lfs51Payload, mappedBase: number): Uint8Array {
  const out = payload.image.slice();
  const view = new DataView(out.buffer);
  if ((payload.signature & LFS51_SIG_ABSOLUTE) !== 0) return out;
  for (let w = 0; w * 4 < out.length; w++) {
    if (((payload.relocations[w >>> 5] ?? 0) >>> (w & 31)) & 1) {
      view.setUint32(w * 4, (view.getUint32(w * 4, true) * 4 + mappedBase) >>> 0, true);
    }
  }
  return out;
}

/** The steps of the second pass, in the order the firmware performs them. */
export interface Lfs51WritePlan {
  /** Sector numbers (relative to the partition) erased first. */
  sectors: number[];
  /** Writes, in order: offset in the partition and bytes. */
  writes: { offset: number; data: Uint8Array }[];
}

/**
 * How the second pass writes an image: the sectors it needs erased, then 2 KiB blocks with the
 * first word marked "in progress", then the real signature over the first word.
 *
 * @param flash the relocated image ({@link relocateLfs51})
 * @returns erases and writes, in order
 *
 * @example
 * ```ts
 * import { lfs51WritePlan } from "./lfs_image51.ts";
 * import assert from "node:assert/strict";
 * const plan = lfs51WritePlan(new Uint8Array(5000).fill(1));
 * assert.deepEqual(plan.sectors, [0, 1]);
 * assert.deepEqual(plan.writes.map((w) => [w.offset, w.data.length]), [[0, 2048], [2048, 2048], [4096, 904], [0, 4]]);
 * ```
 */
export function lfs51WritePlan(flash: Uint8Array): Lfs51WritePlan {
  const sectors = Array.from({ length: Math.floor((flash.length - 1) / SECTOR) + 1 }, (_, i) => i);
  const writes: Lfs51WritePlan["writes"] = [];
  for (let at = 0; at < flash.length; at += WRITE_BLOCK) {
    const data = flash.slice(at, Math.min(flash.length, at + WRITE_BLOCK));
    if (at === 0) data[0] = data[0]! | LFS51_SIG_IN_PROGRESS;
    writes.push({ offset: at, data });
  }
  writes.push({ offset: 0, data: flash.slice(0, 4) });
  return { sectors, writes };
}

/** What a boot finds in the LFS partition. */
export type Lfs51BootState =
  | { state: "none"; message: string | undefined }
  | { state: "refused"; message: string }
  | { state: "loaded"; flashSize: number; mainProto: number };

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;

/**
 * What the firmware's `luaN_init` makes of the LFS partition at boot, with the line it prints.
 *
 * @param header the partition's first 32 bytes
 * @param options the partition's size, its mapped address and the firmware's number type
 * @returns no image (and the message), a refused one, or the image in use
 *
 * @example
 * ```ts
 * import { inspectLfs51Flash } from "./lfs_image51.ts";
 * import assert from "node:assert/strict";
 * const options = { partitionBytes: 0x10000, mappedBase: 0x40280000, numberType: "float" as const };
 * assert.deepEqual(inspectLfs51Flash(new Uint8Array(32).fill(0xff), options), { state: "none", message: "No LFS image loaded\n" });
 * ```
 */
export function inspectLfs51Flash(
  header: Uint8Array,
  options: Lfs51Build & { mappedBase: number },
): Lfs51BootState {
  if (options.partitionBytes === 0) return { state: "none", message: undefined };
  const sig = u32(header, 0);
  if (sig === 0 || sig === 0xffffffff) return { state: "none", message: "No LFS image loaded\n" };
  const wanted = lfs51Signature(options.numberType);
  if (((sig & ~LFS51_SIG_ABSOLUTE) >>> 0) !== wanted) {
    const message = `Flash sig not correct: ${hex8(sig & ~LFS51_SIG_ABSOLUTE)} vs ${
      hex8(wanted)
    }\n`;
    return { state: "refused", message };
  }
  const flashSize = u32(header, 4);
  const mainProto = u32(header, 8);
  const hash = u32(header, 12);
  const offset = (mainProto - options.mappedBase) >>> 0;
  if (hash === 0xffffffff || offset >= flashSize) {
    return {
      state: "refused",
      message: `Flash size check failed: ${hex8(hash)} vs 0xFFFFFFFF; ${hex8(offset)} >= ${
        hex8(flashSize)
      }\n`,
    };
  }
  return { state: "loaded", flashSize, mainProto };
}
