/**
 * The ESP8266 flasher stub: loaded from the pinned `npm:esptool-js@0.7.0` package (the
 * esp-flasher-stub v1.2.2 image, Apache-2.0 OR MIT), checked against pinned sha256 digests,
 * uploaded into RAM through the ROM (MEM_BEGIN / MEM_DATA / MEM_END) and started; it greets with
 * `OHAI` (docs/protocol.md §10).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";
import { deviceError, type NodeflashError, userError } from "../errors.ts";
import { type Connection, type PreparedRequest, prepareRequest } from "../protocol/connection.ts";
import { Op } from "../protocol/opcodes.ts";
import { beginRequest, dataRequest, memEndRequest } from "../protocol/requests.ts";
import { RAM_BLOCK } from "./esp8266.ts";
import type { RomSession, StubSession } from "./session.ts";

/** The stub image. */
export interface StubImage {
  /** Entry point. */
  entry: number;
  /** IRAM text and its load address. */
  text: Uint8Array;
  /** Load address of the text. */
  textStart: number;
  /** DRAM data. */
  data: Uint8Array;
  /** Load address of the data. */
  dataStart: number;
}

/** sha256 of the text and data of the pinned stub (esptool-js 0.7.0 = esp-flasher-stub 1.2.2). */
export const STUB_SHA256 = {
  text: "37c16091ff165ffe760353a8e92d07f55927e34d01fb5fc04c18b5525c13f8f6",
  data: "de5922ffd2c868b51c4eec1fb74459f31adb2975f7514459a91ac2ffed65f737",
} as const;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

interface StubJson {
  entry: number;
  text: string;
  text_start: number;
  data: string;
  data_start: number;
}

/** Reads the stub's JSON from the pinned npm package. */
async function readPinnedStub(): Promise<unknown> {
  const mod = await import("esptool-js/lib/targets/stub_flasher/esp8266.json", {
    with: { type: "json" },
  });
  return mod.default;
}

function isStubJson(value: unknown): value is StubJson {
  const v = value as Partial<StubJson> | null;
  return typeof v === "object" && v !== null && typeof v.entry === "number" &&
    typeof v.text === "string" && typeof v.text_start === "number" &&
    typeof v.data === "string" && typeof v.data_start === "number";
}

function unreadable(why: string, cause?: unknown): NodeflashError {
  return userError(
    "stub/package-unreadable",
    `Cannot load the flasher stub from npm:esptool-js@0.7.0: ${why}`,
    "Deno's copy of the package is damaged or unreadable: run `deno clean` (or delete " +
      "esptool-js under DENO_DIR/npm) so it is downloaded again, and allow reading it (-A); " +
      "--no-stub writes through the ROM loader without it.",
    cause === undefined ? {} : { cause },
  );
}

/**
 * Loads the stub from the pinned npm package and checks its digests.
 *
 * @param options `read` replaces reading the package (tests)
 * @returns the image
 * @throws a user error `stub/package-unreadable` when the package is missing, unreadable or not
 *   the pinned stub (a damaged npm cache)
 *
 * @example
 * ```ts
 * import { loadStub } from "./stub.ts";
 * import assert from "node:assert/strict";
 * assert.equal((await loadStub()).entry > 0x40100000, true);
 * await assert.rejects(loadStub({ read: () => Promise.resolve({ entry: 1 }) }), {
 *   code: "stub/package-unreadable",
 * });
 * ```
 */
export async function loadStub(
  options: { read?: () => Promise<unknown> } = {},
): Promise<StubImage> {
  let json: unknown;
  try {
    json = await (options.read ?? readPinnedStub)();
  } catch (e) {
    throw unreadable(e instanceof Error ? e.message.split("\n")[0]! : String(e), e);
  }
  if (!isStubJson(json)) throw unreadable("its esp8266.json lacks the stub's fields");
  const image: StubImage = {
    entry: json.entry,
    text: new Uint8Array(Buffer.from(json.text, "base64")),
    textStart: json.text_start,
    data: new Uint8Array(Buffer.from(json.data, "base64")),
    dataStart: json.data_start,
  };
  if (sha256(image.text) !== STUB_SHA256.text || sha256(image.data) !== STUB_SHA256.data) {
    throw unreadable("its esp8266.json is not the pinned stub (sha256 differs)");
  }
  return image;
}

async function uploadSegment(conn: Connection, address: number, bytes: Uint8Array) {
  const blocks = Math.ceil(bytes.length / RAM_BLOCK);
  // each block is framed while the ROM takes the one before (see CommandOptions.meanwhile)
  const frames: PreparedRequest[] = [];
  const frameAhead = (seq: number) => () => {
    if (seq >= blocks) return;
    const block = bytes.subarray(seq * RAM_BLOCK, (seq + 1) * RAM_BLOCK);
    frames[seq] = prepareRequest(dataRequest(Op.MEM_DATA, seq, block));
  };
  await conn.command(
    beginRequest(Op.MEM_BEGIN, {
      size: bytes.length,
      blocks,
      blockSize: RAM_BLOCK,
      offset: address,
    }),
    { meanwhile: frameAhead(0) },
  );
  for (let seq = 0; seq < blocks; seq++) {
    if (frames[seq] === undefined) frameAhead(seq)();
    await conn.command(frames[seq]!, { meanwhile: frameAhead(seq + 1) });
  }
}

const OHAI = "OHAI";

/** Options for {@link runStub}. */
export interface RunStubOptions {
  /** The stub to upload (tests may pass another image); the pinned one by default. */
  image?: StubImage;
  /** How long to wait for `OHAI`, 3 s by default. */
  greetingTimeoutMs?: number;
}

/**
 * Uploads the stub through the ROM, starts it, and waits for its greeting.
 *
 * @param session a ROM session
 * @param options image and timeout
 * @returns a stub session on the same connection
 * @throws NodeflashError `stub/no-greeting` when the stub does not say `OHAI`
 */
export async function runStub(
  session: RomSession,
  options: RunStubOptions = {},
): Promise<StubSession> {
  const { conn } = session;
  const image = options.image ?? await loadStub();
  await uploadSegment(conn, image.textStart, image.text);
  await uploadSegment(conn, image.dataStart, image.data);
  await conn.send(memEndRequest(image.entry));
  // The ROM replies to MEM_END (errors ignored, as esptool does: the code may start before the
  // reply drains), then the stub sends an unsolicited OHAI frame.
  const deadline = performance.now() + (options.greetingTimeoutMs ?? 3000);
  while (true) {
    const frame = await conn.readFrame(Math.max(0, deadline - performance.now()));
    if (frame === null) {
      throw deviceError(
        "stub/no-greeting",
        `The flasher stub did not start on ${conn.transport.info.url}`,
        "Try again with a lower --baud, or use --no-stub to write through the ROM loader.",
      );
    }
    if (new TextDecoder().decode(frame) === OHAI) break;
  }
  conn.loader = "stub";
  return { kind: "stub", conn, chip: session.chip, stub: "esp-flasher-stub" };
}
