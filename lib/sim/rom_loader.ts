/**
 * The ESP8266 ROM's serial download mode (what runs with GPIO0 low at reset), from its
 * documented behaviour (docs/protocol.md §1–§7, §14):
 *
 * - replies carry 2 status bytes (`00 00`, or `01 <code>`) and a "stale" value field: the result
 *   of the most recent READ_REG (or the SYNC value), whatever the command;
 * - SYNC gets 8 identical replies with value 0x20120707;
 * - READ_REG / WRITE_REG (mask and delay as the stubs document them) reach the bus;
 * - FLASH_BEGIN takes exactly 16 bytes, unlocks the chip and erases up front with the ROM's
 *   erase-size bug ({@link romEraseSectors}); FLASH_DATA checks the length, the checksum
 *   (`01 07`) and the sequence, writes, reads back and compares before replying (`01 08` when
 *   the flash does not hold what was sent); FLASH_END replies, then reboots (0) or runs the
 *   firmware (1);
 * - MEM_BEGIN / MEM_DATA (checksum `01 07`) / MEM_END (jump when flag = 0 and entry ≠ 0);
 * - everything else, and any malformed request, gets the opcode echoed with `01 05`.
 *
 * Modelling choices where the sources say nothing (docs/protocol.md §14.2): the flash-size
 * bound of the ROM's SPI routines is 4 MB ({@link ROM_FLASH_LIMIT}: a range past it fails with
 * `01 06` on FLASH_BEGIN and `01 08` on FLASH_DATA); flash blocks may be at most 0x400 bytes;
 * a FLASH_DATA must carry the expected sequence number or repeat the previous one (a retry);
 * frames with a bad SLIP escape, a non-request direction byte or fewer than 8 bytes get no reply.
 *
 * @module
 */

import { Op } from "../protocol/opcodes.ts";
import { RomStatus } from "../protocol/status.ts";
import { describeArgs } from "./command_log.ts";
import type { BoardProgram, Device } from "./device.ts";
import { FrameInput, type FrameKind } from "./frame_input.ts";
import { replyFrame } from "./reply.ts";
import { parseRequest, payloadChecksum, type Request, words } from "./request.ts";
import { romEraseArea, romEraseSectors } from "./rom_erase.ts";

/** The value of every SYNC reply from the ROM. */
export const ROM_SYNC_VALUE = 0x20120707;
/** The ROM SPI routines' flash-size bound (modelling choice, see the module doc). */
export const ROM_FLASH_LIMIT = 4 * 1024 * 1024;
/** Largest flash block the ROM accepts (modelling choice). */
export const ROM_MAX_FLASH_BLOCK = 0x400;
/** Longest frame the ROM's buffer takes; longer ones are dropped. */
export const ROM_MAX_FRAME = 0x1800 + 16 + 8 + 0x100;

/** How a handler answers. */
interface RomResult {
  /** `[0, 0]` or `[1, code]`. */
  status: readonly [number, number];
  /** Replies to send (SYNC sends 8). */
  count?: number;
  /** Detail for the command log. */
  note?: string;
  /** Runs after the reply was sent. */
  after?: () => void;
}

interface FlashSession {
  offset: number;
  blockSize: number;
  blocks: number;
  nextSeq: number;
}

interface MemSession {
  address: number;
  size: number;
  blocks: number;
  received: number;
  nextSeq: number;
}

const OK: RomResult = { status: [0, 0] };
const fail = (code: number, note?: string): RomResult =>
  note === undefined ? { status: [1, code] } : { status: [1, code], note };
const SYNC_PAYLOAD = new Uint8Array([0x07, 0x07, 0x12, 0x20, ...new Array(32).fill(0x55)]);

/**
 * The ROM loader program.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" }); // GPIO0 held low at power-up
 * assert.equal(board.state, "download"); // the ROM loader is running
 * await board.close();
 * ```
 */
export class RomLoader implements BoardProgram {
  /** The board state it stands for. */
  readonly state = "download" as const;
  readonly #device: Device;
  readonly #input: FrameInput;
  #value = 0;
  #flash: FlashSession | undefined;
  #mem: MemSession | undefined;

  /** @param device the hardware */
  constructor(device: Device) {
    this.#device = device;
    this.#input = new FrameInput({
      maxFrameLength: ROM_MAX_FRAME,
      onFrame: (frame, kind) => this.#frame(frame, kind),
      onFault: (error) => device.emit({ type: "fault", error }),
      pace: {
        stamp: () => device.arrival(),
        wait: (stamp) => device.waitFor(stamp as ReturnType<Device["arrival"]>),
      },
    });
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

  /** Stops the loader. */
  stop(): void {
    this.#input.stop();
  }

  async #frame(frame: Uint8Array, kind: FrameKind): Promise<void> {
    if (kind !== "frame") return;
    const req = parseRequest(frame);
    if (req === undefined || req.direction !== 0) return;
    const result = req.size !== req.data.length
      ? fail(RomStatus.INVALID_MESSAGE, "size field does not match the data")
      : await this.#handle(req);
    // The ROM finishes its work (erase, write and read back) before it answers.
    await this.#device.settle();
    const reply = replyFrame({ op: req.op, value: this.#value, status: result.status });
    for (let i = 0; i < (result.count ?? 1); i++) this.#device.send(reply);
    const record = this.#device.log.add({
      timeUs: this.#device.clock.now(),
      loader: "rom",
      op: req.op,
      args: describeArgs(req.op, req.data),
      dataLength: req.data.length,
      reply: { value: this.#value, status: result.status },
      ...(result.note === undefined ? {} : { note: result.note }),
    });
    this.#device.emit({ type: "command", record });
    result.after?.();
  }

  #handle(req: Request): Promise<RomResult> | RomResult {
    switch (req.op) {
      case Op.SYNC:
        if (!sameBytes(req.data, SYNC_PAYLOAD)) return fail(RomStatus.INVALID_MESSAGE);
        this.#value = ROM_SYNC_VALUE;
        return { status: [0, 0], count: 8 };
      case Op.READ_REG:
        if (req.data.length !== 4) return fail(RomStatus.INVALID_MESSAGE);
        this.#value = this.#device.bus.read32(words(req.data, 1)[0]!);
        return OK;
      case Op.WRITE_REG:
        return this.#writeReg(req.data);
      case Op.MEM_BEGIN:
        return this.#memBegin(req.data);
      case Op.MEM_DATA:
        return this.#memData(req);
      case Op.MEM_END:
        return this.#memEnd(req.data);
      case Op.FLASH_BEGIN:
        return this.#flashBegin(req.data);
      case Op.FLASH_DATA:
        return this.#flashData(req);
      case Op.FLASH_END:
        return this.#flashEnd(req.data);
      default:
        return fail(RomStatus.INVALID_MESSAGE, "not supported by the ESP8266 ROM");
    }
  }

  async #writeReg(data: Uint8Array): Promise<RomResult> {
    if (data.length === 0 || data.length % 16 !== 0) return fail(RomStatus.INVALID_MESSAGE);
    for (let i = 0; i < data.length; i += 16) {
      const [address, value, mask, delayUs] = words(data.subarray(i, i + 16), 4) as [
        number,
        number,
        number,
        number,
      ];
      await this.#device.clock.sleep(delayUs);
      this.#device.bus.applyWrite({ address, value, mask, delayUs });
    }
    return OK;
  }

  #memBegin(data: Uint8Array): RomResult {
    if (data.length !== 16) return fail(RomStatus.INVALID_MESSAGE);
    const [size, blocks, , address] = words(data, 4) as [number, number, number, number];
    this.#mem = { address, size, blocks, received: 0, nextSeq: 0 };
    return OK;
  }

  #memData(req: Request): RomResult {
    const check = dataBlock(req);
    if ("error" in check) return check.error;
    const mem = this.#mem;
    if (mem === undefined) return fail(RomStatus.INVALID_MESSAGE, "MEM_DATA without MEM_BEGIN");
    if (check.seq !== mem.nextSeq || mem.received + check.payload.length > mem.size) {
      return fail(RomStatus.INVALID_MESSAGE, `unexpected block ${check.seq}`);
    }
    this.#device.bus.writeBytes(mem.address + mem.received, check.payload);
    mem.received += check.payload.length;
    mem.nextSeq++;
    return OK;
  }

  #memEnd(data: Uint8Array): RomResult {
    if (data.length !== 8) return fail(RomStatus.INVALID_MESSAGE);
    const [flag, entry] = words(data, 2) as [number, number];
    this.#mem = undefined;
    if (flag !== 0 || entry === 0) return OK;
    return { status: [0, 0], after: () => this.#device.runCode(entry, "rom") };
  }

  #flashBegin(data: Uint8Array): RomResult {
    if (data.length !== 16) {
      return fail(RomStatus.INVALID_MESSAGE, `${data.length}-byte FLASH_BEGIN`);
    }
    const [eraseSize, blocks, blockSize, offset] = words(data, 4) as [
      number,
      number,
      number,
      number,
    ];
    if (blockSize > ROM_MAX_FLASH_BLOCK) return fail(RomStatus.INVALID_MESSAGE, "block too large");
    const chip = this.#device.chip;
    if (!chip.romUnlock()) return fail(RomStatus.FAILED, "flash chip does not answer");
    this.#flash = { offset, blockSize, blocks, nextSeq: 0 };
    if (eraseSize === 0) return OK;
    if (offset + eraseSize > ROM_FLASH_LIMIT) {
      return fail(RomStatus.FAILED, "erase past the ROM's 4 MB flash limit");
    }
    const erase = romEraseSectors(offset, eraseSize);
    if (!romEraseArea(chip, erase)) return fail(RomStatus.FAILED, "flash chip does not answer");
    this.#device.flashSettled();
    return {
      status: [0, 0],
      note: `erased ${erase.sectors} sectors from sector ${erase.firstSector}`,
    };
  }

  #flashData(req: Request): RomResult {
    const check = dataBlock(req);
    if ("error" in check) return check.error;
    const flash = this.#flash;
    if (flash === undefined) {
      return fail(RomStatus.INVALID_MESSAGE, "FLASH_DATA without FLASH_BEGIN");
    }
    const { seq, payload } = check;
    const retry = seq === flash.nextSeq - 1;
    if (
      (seq !== flash.nextSeq && !retry) || seq >= flash.blocks || payload.length > flash.blockSize
    ) {
      return fail(RomStatus.INVALID_MESSAGE, `unexpected block ${seq}`);
    }
    const address = flash.offset + seq * flash.blockSize;
    if (address + payload.length > ROM_FLASH_LIMIT) {
      return fail(RomStatus.FLASH_WRITE_ERROR, "write past the ROM's 4 MB flash limit");
    }
    const chip = this.#device.chip;
    if (!chip.romWrite(address, payload)) return fail(RomStatus.FLASH_WRITE_ERROR);
    this.#device.work(payload.length * this.#device.timing.readUsPerByte);
    if (!sameBytes(chip.romRead(address, payload.length), payload)) {
      return fail(RomStatus.FLASH_WRITE_ERROR, "read-back differs (flash not erased?)");
    }
    if (!retry) flash.nextSeq++;
    return OK;
  }

  #flashEnd(data: Uint8Array): RomResult {
    if (data.length !== 4) return fail(RomStatus.INVALID_MESSAGE);
    const flag = words(data, 1)[0]!;
    this.#flash = undefined;
    this.#device.flashSettled();
    const device = this.#device;
    return { status: [0, 0], after: () => flag === 0 ? device.softReset() : device.runUserCode() };
  }
}

/** Checks the 16-byte sub-header and the checksum of a data command. */
function dataBlock(
  req: Request,
): { seq: number; payload: Uint8Array } | { error: RomResult } {
  if (req.data.length < 16) return { error: fail(RomStatus.INVALID_MESSAGE) };
  const [length, seq] = words(req.data, 2) as [number, number];
  const payload = req.data.subarray(16);
  if (length !== payload.length) {
    return { error: fail(RomStatus.INVALID_MESSAGE, "length word does not match the data") };
  }
  if (payloadChecksum(payload) !== req.checksum) {
    return { error: fail(RomStatus.INVALID_CRC, "bad checksum") };
  }
  return { seq, payload };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
