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
import { deviceError } from "../errors.ts";
import type { Connection } from "../protocol/connection.ts";
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

/**
 * Loads the stub from the pinned npm package and checks its digests.
 *
 * @returns the image
 * @throws Error when the package content is not the pinned stub (a broken install)
 */
export async function loadStub(): Promise<StubImage> {
  const mod = await import("esptool-js/lib/targets/stub_flasher/esp8266.json", {
    with: { type: "json" },
  });
  const json = mod.default as StubJson;
  const image: StubImage = {
    entry: json.entry,
    text: new Uint8Array(Buffer.from(json.text, "base64")),
    textStart: json.text_start,
    data: new Uint8Array(Buffer.from(json.data, "base64")),
    dataStart: json.data_start,
  };
  if (sha256(image.text) !== STUB_SHA256.text || sha256(image.data) !== STUB_SHA256.data) {
    throw new Error(
      "The flasher stub in npm:esptool-js@0.7.0 does not match its pinned sha256; the package cache is corrupt (clear it with `deno clean`).",
    );
  }
  return image;
}

async function uploadSegment(conn: Connection, address: number, bytes: Uint8Array) {
  const blocks = Math.ceil(bytes.length / RAM_BLOCK);
  await conn.command(
    beginRequest(Op.MEM_BEGIN, {
      size: bytes.length,
      blocks,
      blockSize: RAM_BLOCK,
      offset: address,
    }),
  );
  for (let seq = 0; seq < blocks; seq++) {
    await conn.command(
      dataRequest(Op.MEM_DATA, seq, bytes.subarray(seq * RAM_BLOCK, (seq + 1) * RAM_BLOCK)),
    );
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
