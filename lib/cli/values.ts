/**
 * Parsing the values users type: addresses and sizes (hex or decimal), files to read.
 *
 * @module
 */

import { FLASH_SIZES } from "../image/mod.ts";
import { hex32 } from "../protocol/mod.ts";
import { userError } from "../../mod.ts";

/** The largest flash an ESP8266 can address (16 MB). */
const LARGEST_FLASH = Math.max(...FLASH_SIZES.map((r) => r.bytes));

/**
 * Parses an address or size: `0x10000`, `65536`, `64K`/`1M` (binary units) are accepted.
 *
 * @param text what the user typed
 * @param what `address` or `size`, for the message
 * @returns the number
 * @throws NodeflashError (user) `input/bad-number`
 *
 * @example
 * ```ts
 * import { parseNumberArg } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseNumberArg("0x3fc000", "address"), 0x3fc000);
 * assert.equal(parseNumberArg("4K", "size"), 4096);
 * assert.throws(() => parseNumberArg("0x1g000", "address"), /not an address/);
 * ```
 */
export function parseNumberArg(text: string, what: "address" | "size"): number {
  const t = text.trim();
  let n = NaN;
  if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^\d+$/.test(t)) n = Number(t);
  else if (/^\d+[kKmM]$/.test(t)) n = Number(t.slice(0, -1)) * (/[kK]/.test(t) ? 1024 : 1 << 20);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
    throw userError(
      "input/bad-number",
      `'${text}' is not ${what === "address" ? "an address" : "a size"}`,
      "Use hex like 0x10000, or decimal like 65536.",
    );
  }
  return n;
}

/**
 * Reads a file the user named; a missing or unreadable file is a one-line user error.
 *
 * @param path the path
 * @returns its bytes
 */
export async function readUserFile(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw userError("input/missing-file", `Cannot read ${path}: no such file`, "Check the path.");
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw userError(
        "input/missing-file",
        `${path} is a directory, not a file`,
        "Check the path.",
      );
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw userError(
        "input/unreadable-file",
        `Cannot read ${path}: permission denied`,
        "Check the file's permissions.",
      );
    }
    throw userError(
      "input/unreadable-file",
      `Cannot read ${path}: ${(e as Error).message}`,
      "Check the path.",
    );
  }
}

/** Why a file cannot be written, in words. */
function whyUnwritable(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotFound) return "its folder does not exist";
  if (e instanceof Deno.errors.IsADirectory) return "it is a folder";
  if (e instanceof Deno.errors.NotADirectory) return "a file stands where a folder should be";
  return e instanceof Error ? e.message : String(e);
}

function unwritable(path: string, e: unknown) {
  if (e instanceof Deno.errors.NotCapable) return e;
  return userError(
    "output/unwritable-file",
    `Cannot write ${path}: ${whyUnwritable(e)}`,
    "Give a path in a folder you can write to.",
    { cause: e },
  );
}

/**
 * Checks, before any board is touched, that an output file can be written: it is opened for
 * writing (created and removed again when it did not exist), so a long read never ends in an
 * unwritable file.
 *
 * @param path the output file
 * @throws a user error `output/unwritable-file` saying why
 *
 * @example
 * ```ts
 * import { checkWritableFile } from "./values.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await checkWritableFile(`${dir}/out.bin`);
 * await assert.rejects(Deno.stat(`${dir}/out.bin`), Deno.errors.NotFound); // left no file
 * await assert.rejects(checkWritableFile(dir), /it is a folder/);
 * await assert.rejects(checkWritableFile(`${dir}/no/out.bin`), /its folder does not exist/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkWritableFile(path: string): Promise<void> {
  let existed = true;
  try {
    if ((await Deno.stat(path)).isDirectory) throw new Deno.errors.IsADirectory();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw unwritable(path, e);
    existed = false;
  }
  try {
    (await Deno.open(path, { write: true, create: true })).close();
    if (!existed) await Deno.remove(path);
  } catch (e) {
    throw unwritable(path, e);
  }
}

/**
 * Writes an output file; failures are user errors naming the path and why.
 *
 * @param path the path
 * @param bytes what to write
 */
export async function writeUserFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await Deno.writeFile(path, bytes);
  } catch (e) {
    throw unwritable(path, e);
  }
}

/**
 * Checks, before connecting, that a region lies inside the largest flash an ESP8266 has (16 MB);
 * the real size is checked again once the board is known.
 *
 * @param region address and size (size `all` means to the end of the flash)
 * @param what the action, for the message (`Reading`, `Erasing`)
 * @throws NodeflashError (user) `input/past-end`
 *
 * @example
 * ```ts
 * import { checkInsideLargestFlash } from "./values.ts";
 * import assert from "node:assert/strict";
 * checkInsideLargestFlash({ address: 0x3fd000, size: 0x3000 }, "Erasing");
 * assert.throws(() => checkInsideLargestFlash({ address: 0x1000000, size: "all" }, "Reading"), /16 MB/);
 * ```
 */
export function checkInsideLargestFlash(
  region: { address: number; size: number | "all" },
  what: string,
): void {
  const end = region.address + (region.size === "all" ? 1 : region.size);
  if (end > LARGEST_FLASH) {
    throw userError(
      "input/past-end",
      `${what} ${region.size === "all" ? "from" : `${region.size} bytes at`} ${
        hex32(region.address)
      } goes past ${LARGEST_FLASH >> 20} MB, the most flash an ESP8266 can address`,
      "Check the address and size.",
    );
  }
}
