/**
 * The flasher stubs' command handlers (docs/protocol.md §2, §3.2, §8–§10), for both families;
 * the differences come from the {@link StubDialect} table. Each handler validates a request and
 * returns the status to send, plus work to do after the reply (the stubs acknowledge data before
 * writing it, reply to CHANGE_BAUDRATE at the old rate, stream READ_FLASH after their reply).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { Op } from "../protocol/opcodes.ts";
import { StubStatus } from "../protocol/status.ts";
import type { Device } from "./device.ts";
import { payloadChecksum, type Request, words } from "./request.ts";
import type { StubDialect } from "./stub_dialect.ts";
import { StubFlashWriter } from "./stub_flash_writer.ts";
import { type ReadFlashOutcome, ReadFlashSession } from "./stub_read_flash.ts";
import { holdsStub, type KnownStub, overlapsStub } from "./stub_table.ts";

/** What a handler decided. */
export interface StubResult {
  /** Error code (first status byte); 0 = OK. */
  code: number;
  /** Second status byte (legacy SPI_SET_PARAMS). */
  status?: number;
  /** Value field. */
  value?: number;
  /** Result data (MD5). */
  data?: Uint8Array;
  /** Size field override. */
  sizeField?: number;
  /** Replies to send (SYNC: 8). */
  count?: number;
  /** No reply at all (RUN_USER_CODE). */
  silent?: boolean;
  /** Work after the reply; a non-zero result is a deferred error. */
  after?: () => Promise<number> | number;
  /** Detail for the log. */
  note?: string;
}

/** The stub's state between commands. */
export interface StubState {
  /** The hardware. */
  readonly device: Device;
  /** Wire behaviour. */
  readonly dialect: StubDialect;
  /** Which stub runs. */
  readonly stub: KnownStub;
  /** The flash-size bound (SPI_SET_PARAMS). */
  flashLimit: number;
  /** The write job between FLASH_BEGIN and FLASH_END. */
  writer: StubFlashWriter | undefined;
  /** Legacy stub: the sticky write error. */
  lastError: number;
  /** RAM upload between MEM_BEGIN and MEM_END. */
  mem: { address: number; remaining: number } | undefined;
  /** A READ_FLASH transfer in progress. */
  read: ReadFlashSession | undefined;
}

const ok = (extra: Omit<StubResult, "code"> = {}): StubResult => ({ code: 0, ...extra });
const err = (code: number, note?: string): StubResult =>
  note === undefined ? { code } : { code, note };
const BAD_LEN = StubStatus.BAD_DATA_LEN;

/**
 * Handles one request.
 *
 * @param s the stub's state
 * @param req the request (data already cut or padded to the size field by the caller)
 * @returns what to answer
 */
export async function handleStubCommand(s: StubState, req: Request): Promise<StubResult> {
  const result = await runStubCommand(s, req);
  // The legacy stub's block-size check sits outside its `||` chain: 0xC2 is sent as it is.
  const folded = result.code !== 0 && result.code !== StubStatus.BAD_BLOCKSIZE &&
    s.dialect.foldedErrors.includes(req.op);
  return folded
    ? {
      ...result,
      code: 1,
      note: `${result.note ?? "failed"} (0x${hex2(result.code)}, sent as 0x01)`,
    }
    : result;
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

function runStubCommand(s: StubState, req: Request): Promise<StubResult> | StubResult {
  const n = req.data.length;
  const w = words(req.data, 6);
  const lens = (expected: number) => n === expected;
  switch (req.op) {
    case Op.SYNC:
      return lens(36) ? ok({ count: 8 }) : err(BAD_LEN);
    case Op.READ_REG:
      return lens(4) ? ok({ value: s.device.bus.read32(w[0]!) }) : err(BAD_LEN);
    case Op.WRITE_REG:
      return writeReg(s, req.data);
    case Op.SPI_SET_PARAMS:
      if (!lens(24)) return err(BAD_LEN);
      s.flashLimit = w[1]!;
      return ok({ status: 0 });
    case Op.SPI_ATTACH:
      return lens(4) ? ok() : err(BAD_LEN);
    case Op.CHANGE_BAUDRATE:
      return lens(8) ? ok({ after: () => changeBaud(s, w[0]!, w[1]!) }) : err(BAD_LEN);
    case Op.FLASH_BEGIN:
    case Op.FLASH_DEFL_BEGIN:
      return flashBegin(s, req);
    case Op.FLASH_DATA:
    case Op.FLASH_DEFL_DATA:
      return flashData(s, req);
    case Op.FLASH_END:
    case Op.FLASH_DEFL_END:
      return flashEnd(s, req);
    case Op.MEM_BEGIN:
      return memBegin(s, req.data);
    case Op.MEM_DATA:
      return memData(s, req.data);
    case Op.MEM_END:
      return memEnd(s, req.data);
    case Op.SPI_FLASH_MD5:
      return md5(s, req.data);
    case Op.ERASE_FLASH:
      return eraseFlash(s, n);
    case Op.ERASE_REGION:
      return eraseRegion(s, req.data);
    case Op.READ_FLASH:
      return lens(16) ? ok({ after: () => startRead(s, w) }) : err(BAD_LEN);
    case Op.RUN_USER_CODE:
      return {
        code: 0,
        silent: true,
        after: () => (s.dialect.runUserCodeBoots ? s.device.runUserCode() : undefined, 0),
      };
    case Op.GET_SECURITY_INFO:
      if (s.dialect.family === "esp-flasher-stub" && n !== 0) return err(BAD_LEN);
      return err(StubStatus.CMD_NOT_IMPLEMENTED, "no security info on the ESP8266");
    default:
      return err(s.dialect.unknownCommand, "unknown command");
  }
}

async function writeReg(s: StubState, data: Uint8Array): Promise<StubResult> {
  const legacy = s.dialect.family === "legacy";
  if (data.length % 16 !== 0 || (!legacy && data.length === 0)) {
    return err(legacy ? BAD_LEN : StubStatus.NOT_ENOUGH_DATA);
  }
  for (let i = 0; i < data.length; i += 16) {
    const [address, value, mask, delayUs] = words(data.subarray(i), 4) as [
      number,
      number,
      number,
      number,
    ];
    await s.device.clock.sleep(delayUs);
    s.device.bus.applyWrite({ address, value, mask, delayUs });
  }
  return ok();
}

async function changeBaud(s: StubState, baud: number, oldBaud: number): Promise<number> {
  const uart = s.device.uart;
  if (s.dialect.family === "legacy") {
    await s.device.clock.sleep(10_000);
    uart.setDivider(baud === 0 ? 0xfffff : Math.floor((uart.divider * oldBaud) / baud));
  } else if (baud > 0) {
    uart.setDivider(Math.round(uart.clockHz / baud));
  }
  s.device.emit({ type: "baud", boardBaud: uart.boardBaud, hostBaud: uart.hostBaud });
  return 0;
}

function flashBegin(s: StubState, req: Request): StubResult {
  const [size, blocks, blockSize, offset] = words(req.data, 4) as [number, number, number, number];
  if (s.dialect.checksBlockSize && req.data.length === 16 && blockSize !== 0x4000) {
    return err(StubStatus.BAD_BLOCKSIZE);
  }
  if (!s.dialect.flashBeginLengths.includes(req.data.length)) return err(BAD_LEN);
  s.writer?.close();
  s.writer = undefined;
  s.lastError = 0;
  const compressed = req.op === Op.FLASH_DEFL_BEGIN;
  if (s.dialect.family === "legacy" && !s.device.chip.romUnlock()) {
    return err(StubStatus.FAILED_SPI_UNLOCK);
  }
  s.writer = new StubFlashWriter(s.device, s.dialect, {
    offset,
    size,
    compressed,
    limit: s.flashLimit,
  });
  return ok({ note: `${blocks} blocks of ${blockSize}` });
}

function flashData(s: StubState, req: Request): StubResult {
  const legacy = s.dialect.family === "legacy";
  const compressed = req.op === Op.FLASH_DEFL_DATA;
  if (req.data.length < 16) return err(legacy || compressed ? BAD_LEN : StubStatus.NOT_ENOUGH_DATA);
  const writer = s.writer;
  if (writer === undefined) return err(StubStatus.NOT_IN_FLASH_MODE);
  const [length] = words(req.data, 1) as [number];
  let payload = req.data.subarray(16);
  if (!legacy && compressed) {
    if (writer.remaining === 0 && req.data.length > 4) return err(StubStatus.TOO_MUCH_DATA);
    payload = payload.subarray(0, length);
  } else if (length !== payload.length) {
    return err(legacy ? BAD_LEN : StubStatus.TOO_MUCH_DATA);
  }
  const sticky = legacy ? s.lastError : 0;
  if (payloadChecksum(payload) !== req.checksum) return err(StubStatus.BAD_DATA_CHECKSUM);
  if (sticky !== 0) return err(sticky, "earlier write failed");
  const data = payload.slice();
  return ok({
    after: async () => {
      if (legacy && compressed && writer.remaining === 0 && data.length > 4) {
        s.lastError = StubStatus.TOO_MUCH_DATA;
        return 0;
      }
      const code = compressed ? await writer.writeCompressed(data) : await writer.write(data);
      if (legacy && code !== 0) s.lastError = code;
      return legacy ? 0 : code;
    },
  });
}

function flashEnd(s: StubState, req: Request): StubResult {
  const legacy = s.dialect.family === "legacy";
  if (!legacy && req.data.length !== 4) return err(BAD_LEN);
  const writer = s.writer;
  if (writer === undefined) return err(StubStatus.NOT_IN_FLASH_MODE);
  if (writer.remaining > 0) return err(legacy ? StubStatus.NOT_ENOUGH_DATA : BAD_LEN);
  writer.close();
  s.writer = undefined;
  s.device.flashSettled();
  const code = legacy ? s.lastError : 0;
  const flag = words(req.data, 1)[0]!;
  if (code !== 0) return err(code);
  if (!s.dialect.flashEndReboots || flag !== 0) return ok();
  return ok({ after: () => (s.device.softReset(), 0), note: "reboot" });
}

function memBegin(s: StubState, data: Uint8Array): StubResult {
  if (data.length !== 16) return err(BAD_LEN);
  const [size, , , address] = words(data, 4) as [number, number, number, number];
  s.mem = { address, remaining: size };
  return ok();
}

function memData(s: StubState, data: Uint8Array): StubResult {
  const legacy = s.dialect.family === "legacy";
  if (!legacy && data.length < 16) return err(StubStatus.NOT_ENOUGH_DATA);
  const payload = data.subarray(Math.min(16, data.length));
  const mem = s.mem;
  if (mem === undefined) {
    return payload.length > 0 || !legacy ? err(StubStatus.NOT_IN_FLASH_MODE) : ok();
  }
  const length = legacy ? payload.length : words(data, 1)[0]!;
  if (length > mem.remaining) return err(StubStatus.TOO_MUCH_DATA);
  if (legacy && length % 4 !== 0) return err(BAD_LEN);
  if (!legacy && length !== payload.length) return err(StubStatus.TOO_MUCH_DATA);
  const at = mem.address;
  s.device.bus.writeBytes(at, payload);
  mem.address += payload.length;
  mem.remaining -= payload.length;
  // The stub copies words without looking where (its source): bytes equal to the running code
  // change nothing (esptool re-uploading its own stub through it), anything else breaks it.
  if (!overlapsStub(s.stub, at, payload.length) || holdsStub(s.device.bus.ram, s.stub)) {
    return ok();
  }
  return ok({ after: () => (s.device.halt("the running stub was overwritten"), 0) });
}

function memEnd(s: StubState, data: Uint8Array): StubResult {
  if (data.length !== 8) return err(BAD_LEN);
  const [flag, entry] = words(data, 2) as [number, number];
  const mem = s.mem;
  const legacy = s.dialect.family === "legacy";
  if (!legacy && mem === undefined) return err(StubStatus.NOT_IN_FLASH_MODE);
  s.mem = undefined;
  if (legacy && (mem?.remaining ?? 0) > 0) return err(StubStatus.NOT_ENOUGH_DATA);
  const jump = legacy ? entry !== 0 : flag === 0;
  if (!jump) return ok();
  return ok({ after: () => (s.device.runCode(entry, "stub"), 0) });
}

function md5(s: StubState, data: Uint8Array): StubResult {
  const legacy = s.dialect.family === "legacy";
  const sizeField = legacy ? { sizeField: 18 } : {};
  if (data.length !== 16) return { code: BAD_LEN, ...sizeField };
  const [address, size] = words(data, 2) as [number, number];
  if (address + size > s.flashLimit || s.device.chip.poweredDown) {
    return { code: legacy ? StubStatus.MD5_READ_FAILED : StubStatus.FAILED_SPI_OP, ...sizeField };
  }
  s.device.work(size * (s.device.timing.readUsPerByte + s.device.timing.md5UsPerByte));
  const digest = createHash("md5").update(s.device.chip.romRead(address, size)).digest();
  return ok({ data: new Uint8Array(digest), ...sizeField });
}

function eraseFlash(s: StubState, n: number): StubResult {
  if (s.dialect.family === "legacy" && n !== 0) return err(BAD_LEN);
  if (!s.device.chip.romErase("chip")) return err(StubStatus.FAILED_SPI_OP);
  s.device.flashSettled();
  return ok();
}

function eraseRegion(s: StubState, data: Uint8Array): StubResult {
  const legacy = s.dialect.family === "legacy";
  if (data.length !== 8) return err(BAD_LEN);
  let [address, length] = words(data, 2) as [number, number];
  if (address % 4096 !== 0) return err(legacy ? StubStatus.ERASE_OFFSET_UNALIGNED : BAD_LEN);
  if (length % 4096 !== 0) return err(legacy ? StubStatus.ERASE_SIZE_UNALIGNED : BAD_LEN);
  const chip = s.device.chip;
  if (legacy && !chip.romUnlock()) return err(0x34);
  const fail = (code: number) => err(legacy ? code : StubStatus.FAILED_SPI_OP);
  const erase = (kind: "sector" | "block", unit: number, code: number) => {
    if (address + unit > s.flashLimit || !chip.romErase(kind, address)) return fail(code);
    address += unit;
    length -= unit;
    return undefined;
  };
  while (length > 0 && address % 0x10000 !== 0) {
    const r = erase("sector", 4096, 0x35);
    if (r) return r;
  }
  while (legacy ? length > 0x10000 : length >= 0x10000) {
    const r = erase("block", 0x10000, 0x36);
    if (r) return r;
  }
  while (length > 0) {
    const r = erase("sector", 4096, 0x37);
    if (r) return r;
  }
  s.device.flashSettled();
  return ok();
}

function startRead(s: StubState, w: number[]): number {
  const [offset, length, packetSize, maxInFlight] = w as [number, number, number, number];
  const session = new ReadFlashSession(s.device, s.dialect, {
    offset,
    length,
    packetSize,
    maxInFlight,
    limit: s.flashLimit,
  });
  s.read = session;
  return settleRead(s, session.start());
}

/**
 * Applies a READ_FLASH outcome to the stub's state.
 *
 * @param s the stub's state
 * @param outcome what the transfer reported
 * @returns a deferred error code, or 0
 */
export function settleRead(s: StubState, outcome: ReadFlashOutcome): number {
  if (outcome === "running") return 0;
  s.read = undefined;
  if (outcome === "deaf") {
    s.device.halt("READ_FLASH packet size above 4096 left the legacy stub deaf");
    return 0;
  }
  return outcome === "done" ? 0 : outcome.error;
}
