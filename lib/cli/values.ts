/**
 * Parsing the values users type: addresses and sizes (hex or decimal), files to read.
 *
 * @module
 */

import { userError } from "../../mod.ts";

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

/**
 * Writes an output file; failures are user errors naming the path.
 *
 * @param path the path
 * @param bytes what to write
 */
export async function writeUserFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await Deno.writeFile(path, bytes);
  } catch (e) {
    throw userError(
      "output/unwritable-file",
      `Cannot write ${path}: ${(e as Error).message}`,
      "Check the directory exists and is writable.",
    );
  }
}
