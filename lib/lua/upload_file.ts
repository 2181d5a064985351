/**
 * Putting one file on the board through the REPL, binary-safe and verified:
 *
 * 1. the bytes travel as Lua string literals (`__nfw"..."`, {@link luaStringPiece}), one line
 *    of at most 250 characters each, streamed as fast as the board echoes them back and never
 *    more than its receive ring holds ({@link ReplSession.stream});
 * 2. they are written under {@link UPLOAD_TEMP_NAME}, so a cut cable leaves the old file
 *    untouched;
 * 3. the board then computes the size and a digest of what it wrote (SHA-1 with `crypto` and
 *    `encoder`, else Adler-32 in Lua) and, only when both match, removes the old file and
 *    renames the new one into place, in the same line (the host cannot be cut off between).
 *
 * @module
 */

import { deviceError, isNodeflashError } from "../errors.ts";
import { boardDigest } from "./board_digest.ts";
import { checkFileName, UPLOAD_TEMP_NAME } from "./file_name.ts";
import { luaQuote, luaStringPiece } from "./lua_literal.ts";
import type { LuaSession } from "./lua_session.ts";
import { MAX_LINE } from "./repl_session.ts";

/** What an upload did. */
export interface UploadResult {
  /** The name on the board. */
  name: string;
  /** Bytes written. */
  size: number;
  /** The digest the board computed (and the host agreed with). */
  digest: string;
  /** Which digest. */
  digestKind: "sha1" | "adler32";
  /** Seconds from the first byte sent to the verified rename. */
  seconds: number;
  /** File bytes per second over the whole upload (verification included). */
  bytesPerSecond: number;
}

const WRITE_CALL = "__nfw";
/** Payload characters per line: the line minus `__nfw""`. */
const PIECE_CHARS = MAX_LINE - WRITE_CALL.length - 2;
/** Progress events at most this often (the last one always). */
const PROGRESS_EVERY_MS = 100;

/** The data lines and, per line, the stream offset after it and the file bytes up to it. */
interface Lines {
  lines: Uint8Array[];
  streamEnd: number[];
  fileEnd: number[];
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function buildLines(data: Uint8Array, openLine: string): Lines {
  const out: Lines = { lines: [ascii(openLine)], streamEnd: [openLine.length + 1], fileEnd: [0] };
  let at = 0;
  let stream = openLine.length + 1;
  while (at < data.length) {
    const piece = luaStringPiece(data, { start: at, maxChars: PIECE_CHARS });
    const line = ascii(`${WRITE_CALL}"${piece.text}"`);
    at += piece.bytes;
    stream += line.length + 1;
    out.lines.push(line);
    out.streamEnd.push(stream);
    out.fileEnd.push(at);
  }
  return out;
}

/** Options for {@link uploadFile}. */
export interface UploadOptions {
  /** Where the bytes come from, for messages (the local path). */
  source?: string;
}

/**
 * Uploads one file: written under a temporary name, verified on the board, renamed into place.
 *
 * @param session the board's Lua session
 * @param file the name on the board and the bytes
 * @param options where the bytes come from
 * @returns sizes, digest and speed
 * @throws `lua/bad-name` (user) for a name the file system refuses; `lua/upload-interrupted`
 *   when the board or the port fails mid-way (the message says how far it got; the old file is
 *   untouched); `lua/verify-failed` when the board's digest differs
 *
 * @example
 * ```ts
 * import { openLuaSession, uploadFile } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * const r = await uploadFile(session, { name: "init.lua", data: new TextEncoder().encode('print("hi")\n') });
 * assert.equal(r.size, 12);
 * assert.equal(port.board.nodemcu?.fs?.exists("init.lua"), true);
 * session.close();
 * await port.close();
 * ```
 */
export async function uploadFile(
  session: LuaSession,
  file: { name: string; data: Uint8Array },
  options: UploadOptions = {},
): Promise<UploadResult> {
  const { name, data } = file;
  checkFileName(name, options.source ?? name);
  await session.helpers("upload");
  const kind = session.facts.digest;
  const digest = boardDigest(data, kind);
  const temp = luaQuote(UPLOAD_TEMP_NAME);
  const plan = buildLines(data, `__nfo(${temp})`);
  const emit = session.repl.onEvent;
  emit({ type: "transfer-start", direction: "up", name, size: data.length });
  const t0 = performance.now();
  let reached = 0;
  let k = 0;
  let lastEvent = 0;
  let reported = -1;
  const onConsumed = (consumed: number) => {
    while (k < plan.streamEnd.length && plan.streamEnd[k]! <= consumed) {
      reached = plan.fileEnd[k++]!;
    }
    const now = performance.now();
    if (reached === reported || reached === 0) return;
    if (now - lastEvent < PROGRESS_EVERY_MS && reached < data.length) return;
    lastEvent = now;
    reported = reached;
    const seconds = (now - t0) / 1000;
    emit({
      type: "transfer-progress",
      direction: "up",
      name,
      done: reached,
      total: data.length,
      bytesPerSecond: seconds > 0 ? reached / seconds : 0,
    });
  };
  try {
    await session.repl.stream(plan.lines, { onConsumed });
  } catch (error) {
    throw interrupted(session, { name, size: data.length, reached }, error);
  }
  const check = `__nfc(${temp},${luaQuote(name)},${data.length},"${digest}")`;
  const output = await session.repl.exec(check, { timeoutMs: hashTimeoutMs(session, data.length) });
  const answer = /^nf\|(ok|bad|rename)\t(-?\d+)\t(\S*)$/m.exec(output);
  if (answer === null || answer[1] !== "ok") {
    throw verifyFailed(session, { name, size: data.length, digest }, answer, output);
  }
  const seconds = (performance.now() - t0) / 1000;
  emit({ type: "transfer-done", direction: "up", name, size: data.length, digest, seconds });
  return {
    name,
    size: data.length,
    digest,
    digestKind: kind,
    seconds,
    bytesPerSecond: seconds > 0 ? data.length / seconds : 0,
  };
}

/**
 * How long the board may stay silent while it hashes a file: Adler-32 in Lua costs some tens
 * of microseconds per byte on an ESP8266.
 *
 * @param session the session (its answer timeout is the base)
 * @param bytes the file's size
 * @returns milliseconds
 */
export function hashTimeoutMs(session: LuaSession, bytes: number): number {
  return session.repl.answerTimeoutMs + Math.ceil(bytes * 0.05);
}

function interrupted(
  session: LuaSession,
  at: { name: string; size: number; reached: number },
  error: unknown,
): Error {
  const why = error instanceof Error ? error.message : String(error);
  return deviceError(
    "lua/upload-interrupted",
    `Upload of ${at.name} to ${session.url} stopped after ${at.reached} of ${at.size} bytes: ${why}`,
    `The board still has its previous ${at.name} (the partial copy is ${UPLOAD_TEMP_NAME}); run the command again once the board answers.`,
    {
      cause: error,
      details: {
        name: at.name,
        reached: at.reached,
        size: at.size,
        ...(isNodeflashError(error) ? { causeCode: error.code } : {}),
      },
    },
  );
}

function verifyFailed(
  session: LuaSession,
  want: { name: string; size: number; digest: string },
  answer: RegExpExecArray | null,
  output: string,
): Error {
  if (answer?.[1] === "rename") {
    return deviceError(
      "lua/rename-failed",
      `${want.name} was written and verified on ${session.url} but could not be renamed into place`,
      `The verified copy is ${UPLOAD_TEMP_NAME} on the board; check free space with nodeflash files and run the upload again.`,
    );
  }
  const got = answer === null
    ? JSON.stringify(output.slice(0, 200))
    : `${answer[2]} bytes, digest ${answer[3]}`;
  return deviceError(
    "lua/verify-failed",
    `${want.name} on ${session.url} does not match after the upload: the board has ${got}, expected ${want.size} bytes, digest ${want.digest}`,
    "Nothing was renamed: the board keeps its previous file. Check the cable (or lower --console-baud) and run the upload again.",
    { details: { name: want.name, expected: want, received: output.slice(0, 400) } },
  );
}
