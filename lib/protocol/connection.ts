/**
 * A connection to the loader on the chip: sends SLIP-framed commands over a transport and waits
 * for the matching reply within the command's timeout, skipping stale frames (extra SYNC
 * replies, late answers) and keeping any non-SLIP bytes it sees (boot log text) for diagnosis.
 *
 * @module
 */

import { ByteReader, STREAM_ENDED } from "../bytes/byte_reader.ts";
import { SlipDecoder, slipEncode } from "../bytes/slip.ts";
import { deviceError, NodeflashError, userError } from "../errors.ts";
import type { Transport } from "../transport/types.ts";
import { formatDuration } from "../bytes/duration.ts";
import { type LoaderKind, opcodeInfo, opName, timeoutFor } from "./opcodes.ts";
import { decodeResponse, encodeRequest, type Request, type Response } from "./packet.ts";
import { commandFailed } from "./status.ts";

/** One trace record: every frame (and stray byte run) in either direction. */
export type TraceEvent =
  | { direction: "out"; op: number; name: string; bytes: Uint8Array }
  | { direction: "out-raw"; bytes: Uint8Array }
  | { direction: "in"; frame: Uint8Array }
  | { direction: "in-garbage"; bytes: Uint8Array }
  | { direction: "in-invalid"; reason: string; bytes: Uint8Array };

/** Options for {@link Connection}. */
export interface ConnectionOptions {
  /** Which loader answers at first (`"rom"` unless a stub is known to run). */
  loader?: LoaderKind;
  /** Receives every frame in both directions (`--trace`). */
  onTrace?: (event: TraceEvent) => void;
  /** How many bytes of non-SLIP input to keep for diagnosis (default 4096). */
  keepGarbage?: number;
  /**
   * Stops every command at once when aborted (Ctrl-C): a pending wait for a reply ends with
   * `job/interrupted`, and nothing more is sent.
   */
  signal?: AbortSignal;
}

/**
 * The error a command ends with when its caller aborted it (`job/interrupted`).
 *
 * @param url the port, for the message
 * @returns the error
 *
 * @example
 * ```ts
 * import { interruptedError } from "./connection.ts";
 * if (interruptedError("sim://").code !== "job/interrupted") throw new Error();
 * ```
 */
export function interruptedError(url: string): NodeflashError {
  return userError("job/interrupted", `Interrupted while talking to ${url}`);
}

/** Options for {@link Connection.command}. */
export interface CommandOptions {
  /** Reply timeout; default from the command table (scaled by `bytes`). */
  timeoutMs?: number;
  /** Bytes the command covers, for scaled timeouts. */
  bytes?: number;
  /** Throw on a failure status (default true). */
  check?: boolean;
  /**
   * Host work to do once the request is written and before its reply is awaited, while the
   * chip is busy with it (framing the next data block, compressing): it runs at once, and a
   * reply that comes meanwhile waits in the input buffer. Nothing more goes on the wire before
   * the reply: both stubs take a frame that arrives while they work on one, not a third.
   */
  meanwhile?: () => void;
}

/** A request framed ahead of time by {@link prepareRequest}: sending it costs no encoding. */
export interface PreparedRequest extends Request {
  /** The packet before SLIP framing (what a trace shows). */
  readonly packet: Uint8Array;
  /** The SLIP frame that goes on the wire. */
  readonly frame: Uint8Array;
}

/**
 * Serialises and frames a request ahead of time (a 16 KiB data block takes the host about a
 * millisecond, more before the code is warm), so that it can go out the moment the reply to the
 * one before arrives.
 *
 * @param request the request
 * @returns the request with its packet and SLIP frame
 *
 * @example
 * ```ts
 * import { prepareRequest } from "./connection.ts";
 * import { readRegRequest } from "./requests.ts";
 * const prepared = prepareRequest(readRegRequest(0x40001000));
 * if (prepared.frame[0] !== 0xc0 || prepared.packet.length !== 12) throw new Error();
 * ```
 */
export function prepareRequest(request: Request): PreparedRequest {
  if (isPrepared(request)) return request;
  const packet = encodeRequest(request);
  return { ...request, packet, frame: slipEncode(packet) };
}

function isPrepared(request: Request): request is PreparedRequest {
  return "frame" in request && request.frame instanceof Uint8Array;
}

/** How many non-matching frames a command skips before giving up, as esptool does. */
const MAX_STALE_FRAMES = 100;

/**
 * A command/response connection over a transport.
 *
 * @example Reading the magic register from a scripted peer
 * ```ts
 * import { Connection } from "./connection.ts";
 * import { readRegRequest } from "./requests.ts";
 * import { createMemoryLink } from "../transport/memory.ts";
 * import { slipEncode } from "../bytes/slip.ts";
 * import { fromHex } from "../bytes/hex.ts";
 * import assert from "node:assert/strict";
 * const link = createMemoryLink({
 *   receive: () => link.deliver(slipEncode(fromHex("01 0a 02 00 01 c1 f0 ff 00 00"))),
 * });
 * const conn = new Connection(link.transport);
 * const reply = await conn.command(readRegRequest(0x40001000));
 * assert.equal(reply.value, 0xfff0c101);
 * await link.transport.close();
 * ```
 */
export class Connection {
  /** The transport underneath. */
  readonly transport: Transport;
  /** Which loader answers now; the stub upload switches it to `"stub"`. */
  loader: LoaderKind;
  readonly #reader: ByteReader;
  readonly #decoder = new SlipDecoder();
  readonly #frames: Uint8Array[] = [];
  readonly #onTrace: ((event: TraceEvent) => void) | undefined;
  readonly #keepGarbage: number;
  readonly #signal: AbortSignal | undefined;
  #greetings = 0;
  #garbage: Uint8Array[] = [];
  #garbageBytes = 0;
  #released = false;

  /**
   * Wraps a transport.
   *
   * @param transport the port to the board; the connection reads it until {@link Connection.release}
   * @param options loader kind, trace callback
   */
  constructor(transport: Transport, options: ConnectionOptions = {}) {
    this.transport = transport;
    this.loader = options.loader ?? "rom";
    this.#reader = new ByteReader(transport.readable);
    this.#onTrace = options.onTrace;
    this.#keepGarbage = options.keepGarbage ?? 4096;
    this.#signal = options.signal;
  }

  /**
   * How many unsolicited `OHAI` greetings arrived while waiting for replies: a flasher stub
   * started again behind the host's back (the board restarted).
   */
  get greetings(): number {
    return this.#greetings;
  }

  /** Non-SLIP bytes seen since the last {@link Connection.takeGarbage} (boot log, noise). */
  get garbage(): Uint8Array {
    const out = new Uint8Array(this.#garbageBytes);
    let o = 0;
    for (const g of this.#garbage) {
      out.set(g, o);
      o += g.length;
    }
    return out;
  }

  /**
   * Returns and forgets the non-SLIP bytes seen so far.
   *
   * @returns the bytes
   */
  takeGarbage(): Uint8Array {
    const g = this.garbage;
    this.#garbage = [];
    this.#garbageBytes = 0;
    return g;
  }

  /**
   * Sends a request and waits for the reply with the same opcode.
   *
   * @param request the request
   * @param options timeout and status checking
   * @returns the reply
   * @throws NodeflashError `protocol/timeout` when no reply comes, or the command's status error
   */
  async command(request: Request, options: CommandOptions = {}): Promise<Response> {
    // Checked before anything is written: a command that never replies must not be sent here.
    const info = opcodeInfo(request.op);
    if (info && !info.replies) {
      throw new TypeError(`${info.name} has no reply: use send()`);
    }
    await this.send(request);
    options.meanwhile?.();
    const timeoutMs = options.timeoutMs ?? timeoutFor(request.op, options.bytes ?? 0);
    const reply = await this.waitReply(request.op, timeoutMs);
    if (options.check !== false && reply.status.failed) {
      throw commandFailed(opName(request.op), this.loader, reply.status);
    }
    return reply;
  }

  /**
   * Waits for the reply to `op`, skipping other frames.
   *
   * @param op the opcode
   * @param timeoutMs how long
   * @returns the reply
   */
  async waitReply(op: number, timeoutMs: number): Promise<Response> {
    const deadline = performance.now() + timeoutMs;
    for (let stale = 0; stale <= MAX_STALE_FRAMES; stale++) {
      const frame = await this.readFrame(Math.max(0, deadline - performance.now()));
      if (frame === null) break;
      const reply = decodeResponse(frame, this.loader);
      if (reply && reply.op === op) return reply;
      if (isGreeting(frame)) this.#greetings++;
    }
    throw deviceError(
      "protocol/timeout",
      `No reply to ${opName(op)} within ${formatDuration(timeoutMs)} on ${this.transport.info.url}`,
      "The board stopped answering: check the cable and power, or try a lower --baud.",
      { details: { command: opName(op), timeoutMs } },
    );
  }

  /**
   * Sends a request without waiting (RUN_USER_CODE, pipelined writes).
   *
   * @param request the request (or one {@link prepareRequest} framed already)
   */
  async send(request: Request): Promise<void> {
    const { packet, frame } = prepareRequest(request);
    this.#onTrace?.({ direction: "out", op: request.op, name: opName(request.op), bytes: packet });
    await this.#write(frame);
  }

  /**
   * Sends a lone frame delimiter (`C0`): it ends any frame the device was in the middle of
   * receiving (after a write was cut off), and is padding to a device between frames.
   */
  async resync(): Promise<void> {
    this.#onTrace?.({ direction: "out-raw", bytes: new Uint8Array([0xc0]) });
    await this.#write(new Uint8Array([0xc0]));
  }

  /**
   * Sends raw bytes as one SLIP frame (READ_FLASH acknowledgements).
   *
   * @param payload the frame content
   */
  async sendFrame(payload: Uint8Array): Promise<void> {
    this.#onTrace?.({ direction: "out-raw", bytes: payload });
    await this.#write(slipEncode(payload));
  }

  /**
   * Reads the next SLIP frame.
   *
   * @param timeoutMs how long to wait
   * @returns the frame, or `null` on timeout
   * @throws NodeflashError `port/closed` when the transport ended
   */
  async readFrame(timeoutMs: number): Promise<Uint8Array | null> {
    const deadline = performance.now() + timeoutMs;
    while (this.#frames.length === 0) {
      const chunk = await this.#reader.read(
        Math.max(0, deadline - performance.now()),
        this.#signal,
      );
      if (this.#signal?.aborted) throw interruptedError(this.transport.info.url);
      if (chunk === null) return null;
      if (chunk === STREAM_ENDED) {
        throw deviceError("port/closed", `${this.transport.info.url} was closed`);
      }
      this.#ingest(chunk);
    }
    return this.#frames.shift()!;
  }

  /**
   * Waits for anything at all to arrive (frames or other bytes) and takes it in, as
   * {@link Connection.readFrame} would.
   *
   * @param timeoutMs how long to wait
   * @returns whether something arrived in time
   * @throws NodeflashError `port/closed` when the transport ended
   */
  async waitForInput(timeoutMs: number): Promise<boolean> {
    const chunk = await this.#reader.read(timeoutMs);
    if (chunk === null) return false;
    if (chunk === STREAM_ENDED) {
      throw deviceError("port/closed", `${this.transport.info.url} was closed`);
    }
    this.#ingest(chunk);
    return true;
  }

  /** Drops everything received and not yet read (OS buffer, stream, decoder, frame queue). */
  async flushInput(): Promise<void> {
    await this.transport.discardInput();
    this.#reader.discard();
    this.#decoder.reset();
    this.#frames.length = 0;
  }

  /**
   * Gives the transport's input back (for the smoke test or a monitor). The connection can not
   * be used afterwards.
   *
   * @returns bytes the connection had received but not decoded yet, for the next owner
   */
  release(): Uint8Array[] {
    if (this.#released) return [];
    this.#released = true;
    return this.#reader.release();
  }

  async #write(bytes: Uint8Array): Promise<void> {
    if (this.#released) throw new TypeError("The connection was released");
    if (this.#signal?.aborted) throw interruptedError(this.transport.info.url);
    try {
      await this.transport.write(bytes);
    } catch (e) {
      if (e instanceof NodeflashError) throw e;
      throw deviceError("port/write", `Cannot write to ${this.transport.info.url}`, undefined, {
        cause: e,
      });
    }
  }

  #ingest(chunk: Uint8Array): void {
    for (const event of this.#decoder.push(chunk)) {
      if (event.type === "frame") {
        this.#onTrace?.({ direction: "in", frame: event.data });
        this.#frames.push(event.data);
      } else if (event.type === "garbage") {
        this.#onTrace?.({ direction: "in-garbage", bytes: event.data });
        this.#keep(event.data);
      } else {
        this.#onTrace?.({ direction: "in-invalid", reason: event.reason, bytes: event.data });
      }
    }
  }

  #keep(bytes: Uint8Array): void {
    this.#garbage.push(bytes);
    this.#garbageBytes += bytes.length;
    while (this.#garbageBytes > this.#keepGarbage && this.#garbage.length > 1) {
      this.#garbageBytes -= this.#garbage.shift()!.length;
    }
  }
}

const OHAI = [0x4f, 0x48, 0x41, 0x49];

function isGreeting(frame: Uint8Array): boolean {
  return frame.length === 4 && OHAI.every((b, i) => frame[i] === b);
}
