/**
 * Making the board's files match a set of host files: the board lists its files, computes the
 * digest of every file whose name and size match a host file (all in two REPL exchanges), and
 * only files that are missing or differ are uploaded. With `delete`, files the host set does
 * not have are removed.
 *
 * @module
 */

import { boardDigest, sameDigest } from "./board_digest.ts";
import { boardDigests, listFiles, removeFiles } from "./board_files.ts";
import type { LocalFile } from "./local_files.ts";
import type { LuaSession } from "./lua_session.ts";
import { uploadFile, type UploadResult } from "./upload_file.ts";

/** Options for {@link syncFiles}. */
export interface SyncOptions {
  /** Remove the board's files that are not in the set. */
  delete?: boolean;
}

/** What a sync did. */
export interface SyncResult {
  /** Files uploaded (missing or different). */
  uploaded: UploadResult[];
  /** Names already the same on the board. */
  unchanged: string[];
  /** Names removed (with `delete`). */
  deleted: string[];
}

/**
 * Uploads what differs, leaves the rest, removes extras when asked.
 *
 * @param session the Lua session
 * @param files the host files (names already checked: {@link readLocalDir})
 * @param options whether to delete extras
 * @returns what was uploaded, left alone and removed
 *
 * @example
 * ```ts
 * import { openLuaSession, syncFiles } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * const files = ["a", "b"].map((n) => ({ name: `${n}.lua`, path: `src/${n}.lua`, data: new TextEncoder().encode(`return "${n}"\n`) }));
 * assert.equal((await syncFiles(session, files)).uploaded.length, 2);
 * assert.deepEqual((await syncFiles(session, files)).unchanged, ["a.lua", "b.lua"]);
 * session.close();
 * await port.close();
 * ```
 */
export async function syncFiles(
  session: LuaSession,
  files: LocalFile[],
  options: SyncOptions = {},
): Promise<SyncResult> {
  const listing = await listFiles(session);
  const onBoard = new Map(listing.files.map((f) => [f.name, f.size]));
  const sameSize = files.filter((f) => onBoard.get(f.name) === f.data.length);
  const digests = await boardDigests(
    session,
    sameSize.map((f) => ({ name: f.name, size: f.data.length })),
  );
  const kind = session.facts.digest;
  const same = new Set(
    digests
      .filter((d) => {
        const local = sameSize.find((f) => f.name === d.name);
        return local !== undefined && d.size === local.data.length &&
          sameDigest(d.digest, boardDigest(local.data, kind));
      })
      .map((d) => d.name),
  );
  const result: SyncResult = { uploaded: [], unchanged: [], deleted: [] };
  for (const f of files) {
    if (same.has(f.name)) {
      result.unchanged.push(f.name);
      session.repl.onEvent({ type: "sync-file", name: f.name, action: "same" });
      continue;
    }
    result.uploaded.push(await uploadFile(session, f, { source: f.path }));
  }
  if (options.delete) {
    const wanted = new Set(files.map((f) => f.name));
    const extra = listing.files.map((f) => f.name).filter((n) => !wanted.has(n));
    result.deleted = await removeFiles(session, extra, { missing: "ignore" });
    for (const name of result.deleted) {
      session.repl.onEvent({ type: "sync-file", name, action: "deleted" });
    }
  }
  return result;
}
