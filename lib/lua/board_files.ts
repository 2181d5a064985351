/**
 * The board's files: listing them with sizes and the file system's usage, removing them, and
 * asking the board for the size and digest of some of them at once (what `sync` compares).
 *
 * @module
 */

import { userError } from "../errors.ts";
import { checkFileName, UPLOAD_TEMP_NAME } from "./file_name.ts";
import { luaQuote } from "./lua_literal.ts";
import type { LuaSession } from "./lua_session.ts";
import { hashTimeoutMs } from "./upload_file.ts";
import { MAX_LINE } from "./repl_session.ts";

/** A file on the board. */
export interface BoardFile {
  /** Its name. */
  name: string;
  /** Its size in bytes. */
  size: number;
}

/** The listing. */
export interface BoardListing {
  /** Files, sorted by name. */
  files: BoardFile[];
  /** `file.fsinfo()`: bytes free, used and in all. */
  fs: { free: number; used: number; total: number } | undefined;
}

const LIST_LINE =
  'for n,s in pairs(file.list()) do print("nf|"..s.."|"..n) end print("nf|fs",file.fsinfo())';

/**
 * Lists the board's files.
 *
 * @param session the Lua session
 * @returns the files and the file system's usage
 *
 * @example
 * ```ts
 * import { openLuaSession, listFiles, uploadFile } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * await uploadFile(session, { name: "a.lua", data: new TextEncoder().encode("return 1\n") });
 * const { files, fs } = await listFiles(session);
 * assert.deepEqual(files, [{ name: "a.lua", size: 9 }]);
 * assert.ok(fs !== undefined && fs.free > 0);
 * session.close();
 * await port.close();
 * ```
 */
export async function listFiles(session: LuaSession): Promise<BoardListing> {
  const output = await session.repl.exec(LIST_LINE);
  const files: BoardFile[] = [];
  let fs: BoardListing["fs"];
  for (const line of output.split("\n")) {
    const file = /^nf\|(\d+)\|(.*)$/.exec(line);
    if (file) files.push({ name: file[2]!, size: Number(file[1]) });
    const usage = /^nf\|fs\t(\d+)\t(\d+)\t(\d+)/.exec(line);
    if (usage) fs = { free: Number(usage[1]), used: Number(usage[2]), total: Number(usage[3]) };
  }
  files.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { files, fs };
}

/** Options for {@link removeFiles}. */
export interface RemoveOptions {
  /** `error` (default): a name that is not on the board is a user error, after the others. */
  missing?: "error" | "ignore";
}

/**
 * Removes files from the board.
 *
 * @param session the Lua session
 * @param names the names
 * @param options what a missing file means
 * @returns the names that were there and are gone
 * @throws `lua/no-such-file` (user) naming the files that were not there (the others are removed)
 *
 * @example
 * ```ts
 * import { openLuaSession, removeFiles, uploadFile } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * await uploadFile(session, { name: "old.lua", data: new TextEncoder().encode("x = 1\n") });
 * assert.deepEqual(await removeFiles(session, ["old.lua"]), ["old.lua"]);
 * await assert.rejects(removeFiles(session, ["old.lua"]), /Not on the board/);
 * session.close();
 * await port.close();
 * ```
 */
export async function removeFiles(
  session: LuaSession,
  names: string[],
  options: RemoveOptions = {},
): Promise<string[]> {
  const removed: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    if (name !== UPLOAD_TEMP_NAME) checkFileName(name);
    const q = luaQuote(name);
    const out = await session.repl.exec(
      `print("nf|rm",file.list()[${q}]~=nil) file.remove(${q})`,
    );
    if (/^nf\|rm\ttrue/m.test(out)) removed.push(name);
    else missing.push(name);
  }
  if (missing.length > 0 && (options.missing ?? "error") === "error") {
    throw userError(
      "lua/no-such-file",
      `Not on the board ${session.url}: ${missing.join(", ")}`,
      "nodeflash files lists what is there.",
      { details: { missing, removed } },
    );
  }
  return removed;
}

/** A file's size and digest as the board computed them. */
export interface BoardDigest {
  /** The name. */
  name: string;
  /** Bytes (-1 when the file is not there). */
  size: number;
  /** The digest ({@link LuaSession.facts}.digest decides which). */
  digest: string;
}

/**
 * Asks the board for the size and digest of several files in one go: the names are sent as a
 * table in as few lines as fit, then one line prints every digest.
 *
 * @param session the Lua session
 * @param files the names, with their expected sizes (for the time the hashing may take)
 * @returns one entry per name
 *
 * @example
 * ```ts
 * import { boardDigest, boardDigests, openLuaSession, uploadFile } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * const data = new TextEncoder().encode("print(1)\n");
 * await uploadFile(session, { name: "init.lua", data });
 * const [d] = await boardDigests(session, [{ name: "init.lua", size: data.length }]);
 * assert.equal(d?.digest, boardDigest(data, session.facts.digest));
 * session.close();
 * await port.close();
 * ```
 */
export async function boardDigests(
  session: LuaSession,
  files: BoardFile[],
): Promise<BoardDigest[]> {
  if (files.length === 0) return [];
  await session.helpers("digest");
  const lines = ["__nfy={}"];
  for (const f of files) {
    const entry = `__nfy[${luaQuote(f.name)}]=1`;
    const last = lines[lines.length - 1]!;
    if (last.length + entry.length + 1 <= MAX_LINE) lines[lines.length - 1] = `${last} ${entry}`;
    else lines.push(entry);
  }
  await session.repl.stream(lines.map((l) => Uint8Array.from(l, (c) => c.charCodeAt(0))));
  const biggest = Math.max(...files.map((f) => f.size));
  const output = await session.repl.exec(
    'for n in pairs(__nfy) do print("nf|h",__nfh(n)) print("nf|n",n) end __nfy=nil',
    { timeoutMs: hashTimeoutMs(session, biggest) },
  );
  const out: BoardDigest[] = [];
  const rows = output.split("\n");
  for (let i = 0; i + 1 < rows.length; i++) {
    const h = /^nf\|h\t(-?\d+)\t(\S*)$/.exec(rows[i]!);
    const n = /^nf\|n\t(.*)$/.exec(rows[i + 1]!);
    if (h && n) out.push({ name: n[1]!, size: Number(h[1]), digest: h[2]! });
  }
  return out;
}
