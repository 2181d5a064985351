/**
 * A flasher stub running on the simulated board: it greets the host with `OHAI`, then answers
 * commands as its family does (see stub_dialect.ts and stub_commands.ts): replies with value 0
 * (READ_REG aside) and two status bytes, data acknowledged before it is written, errors from that
 * later work reported one command late, READ_FLASH streamed with flow control.
 *
 * @module
 */

import { slipEncode } from "../bytes/slip.ts";
import { describeArgs } from "./command_log.ts";
import type { BoardProgram, Device } from "./device.ts";
import { FrameInput, type FrameKind } from "./frame_input.ts";
import { replyFrame } from "./reply.ts";
import { parseRequest, type Request } from "./request.ts";
import { handleStubCommand, settleRead, type StubResult, type StubState } from "./stub_commands.ts";
import { stubDialect } from "./stub_dialect.ts";
import type { KnownStub } from "./stub_table.ts";

/** The greeting frame's payload. */
export const OHAI = new Uint8Array([0x4f, 0x48, 0x41, 0x49]);

/**
 * The stub program.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { KNOWN_STUBS } from "./stub_table.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard();
 * const sent: number[] = [];
 * board.attachHost((b) => sent.push(...b));
 * board.startStub(KNOWN_STUBS[0]!);
 * assert.equal(board.state, "stub");
 * assert.deepEqual(sent, [0xc0, 0x4f, 0x48, 0x41, 0x49, 0xc0]);
 * await board.close();
 * ```
 */
export class StubLoader implements BoardProgram {
  /** The board state it stands for. */
  readonly state = "stub" as const;
  readonly #s: StubState;
  readonly #input: FrameInput;
  #pending = 0;

  /**
   * @param device the hardware
   * @param stub which stub runs
   */
  constructor(device: Device, stub: KnownStub) {
    const dialect = stubDialect(stub.family);
    this.#s = {
      device,
      dialect,
      stub,
      flashLimit: dialect.initialFlashLimit === "16MB" ? 16 * 1024 * 1024 : device.chip.size,
      writer: undefined,
      lastError: 0,
      mem: undefined,
      read: undefined,
    };
    this.#input = new FrameInput({
      maxFrameLength: dialect.maxFrame,
      onFrame: (frame, kind) => this.#frame(frame, kind),
      onFault: (error) => device.emit({ type: "fault", error }),
      pace: {
        stamp: () => device.arrival(),
        wait: (stamp) => device.waitFor(stamp as ReturnType<Device["arrival"]>),
      },
    });
  }

  /** Which stub runs. */
  get stub(): KnownStub {
    return this.#s.stub;
  }

  /** Sends the greeting (the stub has zeroed its BSS and set up its UART). */
  start(): void {
    this.#s.device.send(slipEncode(OHAI));
  }

  /**
   * Bytes from the host.
   *
   * @param bytes what arrived
   */
  receive(bytes: Uint8Array): void {
    this.#input.push(bytes);
  }

  /** Resolves when all input so far was handled. */
  idle(): Promise<void> {
    return this.#input.idle();
  }

  /** Stops the stub. */
  stop(): void {
    this.#input.stop();
    this.#s.writer?.close();
    this.#s.writer = undefined;
  }

  async #frame(frame: Uint8Array, kind: FrameKind): Promise<void> {
    const s = this.#s;
    if (kind === "invalid-escape" && s.dialect.badEscape === "drop-frame") return;
    if (s.read !== undefined) {
      if (kind !== "frame" && s.dialect.badEscape === "drop-frame") return;
      this.#pending ||= settleRead(s, s.read.onFrame(frame));
      return;
    }
    if (kind === "oversize") {
      if (s.dialect.badEscape === "drop-byte" && frame.length >= 2) {
        this.#reply({ direction: 0, op: frame[1]!, size: 0, checksum: 0, data: frame }, {
          code: 0xc0,
          status: 0xee,
          note: "frame longer than the stub's buffer",
        });
      }
      return;
    }
    const req = this.#request(frame);
    if (req === undefined) return;
    await this.#dispatch(req);
  }

  /** Reads the header; the legacy stub trusts the size field, the new one checks it. */
  #request(frame: Uint8Array): Request | undefined {
    const s = this.#s;
    const req = parseRequest(frame);
    if (req === undefined) {
      if (s.dialect.checksDirection && frame.length >= 2) {
        this.#reply({ direction: 0, op: frame[1]!, size: 0, checksum: 0, data: frame }, {
          code: 0xc0,
        });
      }
      return undefined;
    }
    if (s.dialect.checksDirection) return req;
    if (req.data.length === req.size) return req;
    const data = new Uint8Array(req.size);
    data.set(req.data.subarray(0, req.size));
    return { ...req, data };
  }

  async #dispatch(req: Request): Promise<void> {
    const s = this.#s;
    if (s.dialect.checksDirection) {
      if (req.direction !== 0) return this.#reply(req, { code: 0xc3 });
      if (req.size !== req.data.length) return this.#reply(req, { code: 0xc0 });
      if (this.#pending !== 0) {
        const code = this.#pending;
        this.#pending = 0;
        return this.#reply(req, { code, note: "error from the previous command" });
      }
    } else if (req.size > 0x4000 + 16) {
      return this.#reply(req, { code: 0xc0, status: 0xee });
    }
    const result = await handleStubCommand(s, req);
    await s.device.settle();
    this.#reply(req, result);
    if (result.code === 0 && result.after !== undefined) {
      // Acknowledged first: the write overlaps the next frame's arrival.
      const deferred = await result.after();
      await s.device.settle();
      if (deferred !== 0 && s.dialect.deferredErrors === "next-command") this.#pending = deferred;
    }
  }

  #reply(req: Request, result: StubResult): void {
    const device = this.#s.device;
    const status: [number, number] = [result.code, result.status ?? 0];
    const value = result.code === 0 ? result.value ?? 0 : 0;
    if (!result.silent) {
      const frame = replyFrame({
        op: req.op,
        value,
        status,
        ...(result.code === 0 && result.data !== undefined ? { data: result.data } : {}),
        ...(result.sizeField === undefined ? {} : { sizeField: result.sizeField }),
      });
      for (let i = 0; i < (result.count ?? 1); i++) device.send(frame);
    }
    const record = device.log.add({
      timeUs: device.clock.now(),
      loader: "stub",
      op: req.op,
      args: describeArgs(req.op, req.data),
      dataLength: req.data.length,
      reply: result.silent ? "none" : { value, status },
      ...(result.note === undefined ? {} : { note: result.note }),
    });
    device.emit({ type: "command", record });
  }
}
