/**
 * What the firmware on the board offers the Lua side, asked at run time with one REPL line
 * (docs/lua-side.md#crypto-encoder-and-hashing: the module list varies per build, so nothing is
 * assumed): the Lua version, whether `crypto` and `encoder` can hash a file, whether `uart.write`
 * exists, how LFS is reloaded (`node.LFS.reload` on 3.x, `node.flashreload` before), the free
 * file-system space, and whether numbers are integers.
 *
 * @module
 */

import type { BannerFields } from "../smoke/banner.ts";
import type { DigestKind } from "./board_digest.ts";

/** What the firmware offers. */
export interface BoardFacts {
  /** `_VERSION` without its `Lua ` prefix, e.g. `5.1` or `5.3`. */
  lua: string;
  /** The digest the board computes ({@link DigestKind}). */
  digest: DigestKind;
  /** Whether `uart.write` exists (raw, binary-safe output; needed to download files). */
  uart: boolean;
  /** How an LFS image is reloaded, if the firmware can. */
  lfs: "node.LFS" | "node.flashreload" | undefined;
  /** Free bytes in the file system, as `file.fsinfo()` says. */
  fsFree: number | undefined;
  /** Whether the build's numbers are integers (`1/2` is 0). */
  integer: boolean;
  /** The NodeMCU banner, when the session saw the board boot. */
  banner: BannerFields | undefined;
}

/** The line that asks (no `>`: see ReplSession). */
export const FACTS_LINE =
  'print("nf|f",_VERSION,crypto~=nil and crypto.fhash~=nil and encoder~=nil and encoder.toHex~=nil,uart~=nil and uart.write~=nil,node.LFS~=nil,node.flashreload~=nil,(file.fsinfo()),1/2)';

/**
 * Reads the answer to {@link FACTS_LINE}.
 *
 * @param output what the board printed
 * @param banner the banner seen at boot, if any
 * @returns the facts, or `undefined` when the answer is not there
 *
 * @example
 * ```ts
 * import { parseBoardFacts } from "./board_facts.ts";
 * import assert from "node:assert/strict";
 * const facts = parseBoardFacts("nf|f\tLua 5.1\tfalse\ttrue\ttrue\tfalse\t3014656\t0.5", undefined);
 * assert.equal(facts?.lua, "5.1");
 * assert.equal(facts?.digest, "adler32");
 * assert.equal(facts?.lfs, "node.LFS");
 * assert.equal(facts?.integer, false);
 * ```
 */
export function parseBoardFacts(
  output: string,
  banner: BannerFields | undefined,
): BoardFacts | undefined {
  const line = output.split("\n").find((l) => l.startsWith("nf|f\t"));
  if (line === undefined) return undefined;
  const [, version = "", hash, uart, lfs, reload, free, half] = line.split("\t");
  const fsFree = Number(free);
  return {
    lua: version.replace(/^Lua\s*/, ""),
    digest: hash === "true" ? "sha1" : "adler32",
    uart: uart === "true",
    lfs: lfs === "true" ? "node.LFS" : reload === "true" ? "node.flashreload" : undefined,
    fsFree: Number.isFinite(fsFree) ? fsFree : undefined,
    integer: half === "0",
    banner,
  };
}
