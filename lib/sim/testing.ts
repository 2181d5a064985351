/**
 * A scripted host for tests of the simulator: builds request packets by hand (independently of
 * the flasher's encoder), feeds them to a {@link SimBoard} and parses what comes back.
 *
 * @module
 */

import { slipEncode } from "../bytes/slip.ts";
import { SlipDecoder } from "../bytes/slip.ts";
import { u32le } from "../bytes/little_endian.ts";
import type { SimBoard } from "./board.ts";

/** Options for {@link requestPacket}. */
export interface RequestOptions {
  /** Checksum field; 0 by default. */
  checksum?: number;
  /** Direction byte; 0 by default. */
  direction?: number;
  /** Size field; the data length by default. */
  size?: number;
}

/**
 * A request packet: direction, opcode, size, checksum, data.
 *
 * @param op opcode
 * @param data the data field
 * @param options checksum, direction and size overrides
 * @returns the unescaped packet
 *
 * @example
 * ```ts
 * import { requestPacket } from "./testing.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(requestPacket(0x0a, new Uint8Array([0, 0x10, 0, 0x40])), new Uint8Array([0, 0x0a, 4, 0, 0, 0, 0, 0, 0, 0x10, 0, 0x40]));
 * ```
 */
export function requestPacket(
  op: number,
  data: Uint8Array = new Uint8Array(0),
  options: RequestOptions = {},
): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  const view = new DataView(out.buffer);
  out[0] = options.direction ?? 0;
  out[1] = op;
  view.setUint16(2, options.size ?? data.length, true);
  view.setUint32(4, (options.checksum ?? 0) >>> 0, true);
  out.set(data, 8);
  return out;
}

/**
 * The 0xEF-seeded XOR checksum of a payload.
 *
 * @param payload the bytes
 * @returns the checksum
 *
 * @example
 * ```ts
 * import { xorChecksum } from "./testing.ts";
 * import assert from "node:assert/strict";
 * assert.equal(xorChecksum(new Uint8Array([1, 2])), 0xef ^ 3);
 * ```
 */
export function xorChecksum(payload: Uint8Array): number {
  return payload.reduce((c, b) => c ^ b, 0xef);
}

/**
 * A data command (FLASH_DATA, MEM_DATA, FLASH_DEFL_DATA): 16-byte sub-header + payload, with the
 * right checksum unless overridden.
 *
 * @param op opcode
 * @param payload the block
 * @param seq sequence number
 * @param options overrides (e.g. a wrong checksum)
 * @returns the packet
 *
 * @example
 * ```ts
 * import { dataPacket } from "./testing.ts";
 * import assert from "node:assert/strict";
 * assert.equal(dataPacket(0x07, new Uint8Array(4), 0).length, 8 + 16 + 4);
 * ```
 */
export function dataPacket(
  op: number,
  payload: Uint8Array,
  seq: number,
  options: RequestOptions = {},
): Uint8Array {
  const data = new Uint8Array(16 + payload.length);
  data.set(u32le(payload.length, seq, 0, 0), 0);
  data.set(payload, 16);
  return requestPacket(op, data, { checksum: xorChecksum(payload), ...options });
}

/** A parsed reply. */
export interface ParsedReply {
  /** Direction byte (1). */
  direction: number;
  /** Opcode. */
  op: number;
  /** Size field. */
  size: number;
  /** Value field. */
  value: number;
  /** Everything after the header (result data + status). */
  body: Uint8Array;
  /** The last two bytes of the body. */
  status: [number, number];
}

/**
 * Parses a reply frame.
 *
 * @param frame an unescaped frame
 * @returns the reply fields
 *
 * @example
 * ```ts
 * import { parseReply } from "./testing.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseReply(new Uint8Array([1, 8, 2, 0, 7, 7, 0x12, 0x20, 0, 0])).status, [0, 0]);
 * ```
 */
export function parseReply(frame: Uint8Array): ParsedReply {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const body = frame.subarray(8);
  return {
    direction: frame[0] ?? 0,
    op: frame[1] ?? 0,
    size: frame.length >= 4 ? view.getUint16(2, true) : 0,
    value: frame.length >= 8 ? view.getUint32(4, true) : 0,
    body,
    status: [body[body.length - 2] ?? -1, body[body.length - 1] ?? -1],
  };
}

/**
 * A host attached to a board.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { SimTestHost } from "./testing.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" });
 * const host = new SimTestHost(board);
 * const replies = await host.command(0x0a, new Uint8Array([0, 0x10, 0, 0x40]));
 * assert.equal(replies[0]?.value, 0xfff0c101);
 * await board.close();
 * ```
 */
export class SimTestHost {
  readonly #board: SimBoard;
  readonly #decoder = new SlipDecoder();
  #frames: Uint8Array[] = [];
  #raw: number[] = [];
  #baud: number;

  /**
   * @param board the board
   * @param baud the host's rate, 115200 by default
   */
  constructor(board: SimBoard, baud = 115200) {
    this.#board = board;
    this.#baud = baud;
    board.attachHost((bytes) => {
      this.#raw.push(...bytes);
      for (const e of this.#decoder.push(bytes)) if (e.type === "frame") this.#frames.push(e.data);
    }, "test");
  }

  /**
   * Changes the host's baud rate.
   *
   * @param baud the new rate
   */
  setBaud(baud: number): void {
    this.#baud = baud;
    this.#board.setBaudRate(baud);
  }

  /**
   * Sends raw bytes.
   *
   * @param bytes what to send
   */
  sendRaw(bytes: Uint8Array): void {
    this.#board.receive(bytes, this.#baud);
  }

  /**
   * Sends a packet SLIP-framed.
   *
   * @param packet the unescaped packet
   */
  send(packet: Uint8Array): void {
    this.sendRaw(slipEncode(packet));
  }

  /**
   * Sends a request and returns every frame that came back.
   *
   * @param op opcode
   * @param data data field
   * @param options overrides
   * @returns the replies
   */
  async command(
    op: number,
    data: Uint8Array = new Uint8Array(0),
    options: RequestOptions = {},
  ): Promise<ParsedReply[]> {
    this.send(requestPacket(op, data, options));
    return (await this.frames()).map(parseReply);
  }

  /**
   * Sends a packet and returns the replies.
   *
   * @param packet the unescaped packet
   * @returns the replies
   */
  async exchange(packet: Uint8Array): Promise<ParsedReply[]> {
    this.send(packet);
    return (await this.frames()).map(parseReply);
  }

  /** Waits for the board and takes the frames received so far. */
  async frames(): Promise<Uint8Array[]> {
    await this.#board.idle();
    const out = this.#frames;
    this.#frames = [];
    this.#raw = [];
    return out;
  }

  /** Waits for the board and takes the raw bytes received so far. */
  async rawBytes(): Promise<Uint8Array> {
    await this.#board.idle();
    const out = new Uint8Array(this.#raw);
    this.#raw = [];
    this.#frames = [];
    return out;
  }
}

/**
 * Little-endian words as bytes (a request's arguments).
 *
 * @param values the words
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { le } from "./testing.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(le(1), new Uint8Array([1, 0, 0, 0]));
 * ```
 */
export function le(...values: number[]): Uint8Array {
  return u32le(...values);
}

/** The SYNC command's data: `07 07 12 20` and 32 × `55`. */
export const SYNC_DATA: Uint8Array = new Uint8Array([
  0x07,
  0x07,
  0x12,
  0x20,
  ...new Array(32).fill(0x55),
]);
