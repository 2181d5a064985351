/**
 * Reading a file from the board, binary-safe: the board sends it with `uart.write` (no newline
 * translation, unlike `print`), in blocks of up to 1 KiB each framed as `nf|<length>|<bytes>`,
 * eight blocks per REPL line; then it computes the size and digest of the file, which must
 * match what arrived.
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";
import { boardDigest, sameDigest } from "./board_digest.ts";
import { checkFileName } from "./file_name.ts";
import { luaQuote } from "./lua_literal.ts";
import type { LuaSession } from "./lua_session.ts";
import { hashTimeoutMs } from "./upload_file.ts";

/** Blocks the board sends per request line. */
const BLOCKS_PER_LINE = 8;
const HEADER = /^nf\|(\d{1,4})\|/;

/** What a download got. */
export interface DownloadResult {
  /** The name on the board. */
  name: string;
  /** The bytes. */
  data: Uint8Array;
  /** The digest both sides agree on. */
  digest: string;
  /** Seconds it took, verification included. */
  seconds: number;
}

async function readBlock(session: LuaSession): Promise<Uint8Array> {
  const repl = session.repl;
  while (true) {
    const head = String.fromCharCode(...repl.pending.subarray(0, 12));
    const m = HEADER.exec(head);
    if (m !== null) {
      repl.take(m[0].length);
      return await repl.readBytes(Number(m[1]));
    }
    if (head.length >= 10 && m === null || !"nf|".startsWith(head.slice(0, 3))) {
      throw repl.unexpected("__nfr", head + String.fromCharCode(...repl.pending.subarray(12, 80)));
    }
    if (!await repl.pull(repl.answerTimeoutMs)) {
      throw deviceError(
        "lua/no-answer",
        `The board on ${session.url} stopped sending the file`,
        "Run the command again; if it repeats, check the cable.",
      );
    }
  }
}

/**
 * Downloads one file and verifies it against the board's own digest.
 *
 * @param session the Lua session
 * @param name the name on the board
 * @returns the bytes and the digest
 * @throws `lua/no-such-file` (user) when it is not there; `lua/no-uart` when the firmware has
 *   no `uart` module; `lua/verify-failed` when what arrived differs from the file
 *
 * @example
 * ```ts
 * import { downloadFile, openLuaSession, uploadFile } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * const data = Uint8Array.from({ length: 256 }, (_, i) => i);
 * await uploadFile(session, { name: "all.bin", data });
 * assert.deepEqual((await downloadFile(session, "all.bin")).data, data);
 * session.close();
 * await port.close();
 * ```
 */
export async function downloadFile(session: LuaSession, name: string): Promise<DownloadResult> {
  checkFileName(name);
  if (!session.facts.uart) {
    throw deviceError(
      "lua/no-uart",
      `The firmware on ${session.url} has no uart module, which nodeflash needs to read files back`,
      "Build the firmware with the uart module (it is in NodeMCU's default set).",
    );
  }
  await session.helpers("download");
  const q = luaQuote(name);
  const opened = /^nf\|d\t(-?\d+)/m.exec(await session.repl.exec(`__nfd(${q})`));
  const size = Number(opened?.[1] ?? -1);
  if (size < 0) {
    throw userError(
      "lua/no-such-file",
      `${name} is not on the board ${session.url}`,
      "nodeflash files lists what is there.",
    );
  }
  const emit = session.repl.onEvent;
  emit({ type: "transfer-start", direction: "down", name, size });
  const t0 = performance.now();
  const blocks: Uint8Array[] = [];
  let got = 0;
  let done = false;
  while (!done) {
    await session.repl.sendLine(`__nfr(${BLOCKS_PER_LINE})`);
    for (let i = 0; i < BLOCKS_PER_LINE && !done; i++) {
      const block = await readBlock(session);
      blocks.push(block);
      got += block.length;
      done = block.length === 0;
    }
    await session.repl.readToPrompt();
    const seconds = (performance.now() - t0) / 1000;
    emit({
      type: "transfer-progress",
      direction: "down",
      name,
      done: got,
      total: size,
      bytesPerSecond: seconds > 0 ? got / seconds : 0,
    });
  }
  const data = new Uint8Array(got);
  let at = 0;
  for (const b of blocks) {
    data.set(b, at);
    at += b.length;
  }
  const check = await session.repl.exec(`print("nf|h",__nfh(${q}))`, {
    timeoutMs: hashTimeoutMs(session, got),
  });
  const m = /^nf\|h\t(-?\d+)\t(\S*)$/m.exec(check);
  const digest = boardDigest(data, session.facts.digest);
  if (m === null || Number(m[1]) !== got || !sameDigest(m[2]!, digest)) {
    throw deviceError(
      "lua/verify-failed",
      `${name} read from ${session.url} does not match the board's file: received ${got} bytes (digest ${digest}), the board has ${
        m?.[1] ?? "?"
      } bytes (digest ${m?.[2] ?? "?"})`,
      "Run the command again; if it repeats, check the cable or lower --console-baud.",
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  emit({ type: "transfer-done", direction: "down", name, size: got, digest, seconds });
  return { name, data, digest, seconds };
}
