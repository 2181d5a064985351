/**
 * The command table: every opcode nodeflash sends, who answers it on an ESP8266 (the ROM
 * loader, the flasher stub), how long to wait for its reply and how long its result data is.
 * One table, read by the encoder, the connection, the simulator and the help text.
 *
 * Facts: docs/protocol.md §2 (opcodes), §3 (status bytes), §7.1 (timeouts).
 *
 * @module
 */

/** Which program answers on the chip. */
export type LoaderKind = "rom" | "stub";

/** Opcode numbers. */
export const Op = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  READ_FLASH_SLOW: 0x0e,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  GET_SECURITY_INFO: 0x14,
  ERASE_FLASH: 0xd0,
  ERASE_REGION: 0xd1,
  READ_FLASH: 0xd2,
  RUN_USER_CODE: 0xd3,
} as const;

/** An opcode name. */
export type OpName = keyof typeof Op;

/** How long to wait for a reply. */
export type TimeoutPolicy =
  /** A fixed time. */
  | { kind: "fixed"; ms: number }
  /** Scaled by the bytes involved: `max(floorMs, msPerMb × bytes / 1e6)` (decimal megabytes). */
  | { kind: "per-mb"; msPerMb: number; floorMs: number };

/** One row of the command table. */
export interface OpcodeInfo {
  /** Opcode number. */
  code: number;
  /** Name as in esptool's traces. */
  name: OpName;
  /** Whether the ESP8266 ROM loader implements it. */
  rom: boolean;
  /** Whether the flasher stubs implement it. */
  stub: boolean;
  /** How long to wait for the reply. */
  timeout: TimeoutPolicy;
  /** Bytes of result data before the 2 status bytes, per loader. */
  resultLength: { rom: number; stub: number };
  /** Whether the chip replies at all (RUN_USER_CODE does not). */
  replies: boolean;
}

/** esptool's default command timeout, also the floor of every scaled timeout. */
export const DEFAULT_TIMEOUT_MS = 3000;
/** Timeout for the first reply to a SYNC. */
export const SYNC_TIMEOUT_MS = 100;
/** The longest any single command may take. */
export const MAX_TIMEOUT_MS = 240_000;
/** ROM MEM_END: the jump may happen before the reply leaves the FIFO. */
export const MEM_END_ROM_TIMEOUT_MS = 200;
/** Whole-chip erase. */
export const CHIP_ERASE_TIMEOUT_MS = 120_000;
/** Per MB for MD5 of a region. */
export const MD5_MS_PER_MB = 8000;
/** Per MB for ERASE_REGION and the ROM's up-front FLASH_BEGIN erase. */
export const ERASE_REGION_MS_PER_MB = 30_000;
/** Per MB for stub writes (erase + program). */
export const ERASE_WRITE_MS_PER_MB = 40_000;

const fixed = (ms: number): TimeoutPolicy => ({ kind: "fixed", ms });
const perMb = (msPerMb: number): TimeoutPolicy => ({
  kind: "per-mb",
  msPerMb,
  floorMs: DEFAULT_TIMEOUT_MS,
});

function row(
  name: OpName,
  rom: boolean,
  stub: boolean,
  timeout: TimeoutPolicy = fixed(DEFAULT_TIMEOUT_MS),
  resultLength: { rom: number; stub: number } = { rom: 0, stub: 0 },
  replies = true,
): OpcodeInfo {
  return { code: Op[name], name, rom, stub, timeout, resultLength, replies };
}

/** The table, one row per opcode. */
export const OPCODES: readonly OpcodeInfo[] = [
  row("FLASH_BEGIN", true, true, perMb(ERASE_REGION_MS_PER_MB)),
  row("FLASH_DATA", true, true, perMb(ERASE_WRITE_MS_PER_MB)),
  row("FLASH_END", true, true),
  row("MEM_BEGIN", true, true),
  row("MEM_END", true, true, fixed(MEM_END_ROM_TIMEOUT_MS)),
  row("MEM_DATA", true, true),
  row("SYNC", true, true, fixed(SYNC_TIMEOUT_MS)),
  row("WRITE_REG", true, true),
  row("READ_REG", true, true),
  row("SPI_SET_PARAMS", false, true),
  row("SPI_ATTACH", false, true),
  row("READ_FLASH_SLOW", false, false, fixed(DEFAULT_TIMEOUT_MS), { rom: 64, stub: 64 }),
  row("CHANGE_BAUDRATE", false, true),
  row("FLASH_DEFL_BEGIN", false, true),
  row("FLASH_DEFL_DATA", false, true, perMb(ERASE_WRITE_MS_PER_MB)),
  row("FLASH_DEFL_END", false, true),
  row("SPI_FLASH_MD5", false, true, perMb(MD5_MS_PER_MB), { rom: 32, stub: 16 }),
  row("GET_SECURITY_INFO", false, false, fixed(DEFAULT_TIMEOUT_MS), { rom: 20, stub: 20 }),
  row("ERASE_FLASH", false, true, fixed(CHIP_ERASE_TIMEOUT_MS)),
  row("ERASE_REGION", false, true, perMb(ERASE_REGION_MS_PER_MB)),
  row("READ_FLASH", false, true),
  row("RUN_USER_CODE", false, true, fixed(DEFAULT_TIMEOUT_MS), { rom: 0, stub: 0 }, false),
];

const byCode = new Map(OPCODES.map((o) => [o.code, o]));

/**
 * Looks up an opcode.
 *
 * @param code opcode number
 * @returns its row, or `undefined` for an opcode nodeflash does not know
 *
 * @example
 * ```ts
 * import { opcodeInfo, Op } from "./opcodes.ts";
 * if (opcodeInfo(Op.SPI_FLASH_MD5)?.rom !== false) throw new Error("the ESP8266 ROM has no MD5");
 * ```
 */
export function opcodeInfo(code: number): OpcodeInfo | undefined {
  return byCode.get(code);
}

/**
 * The name of an opcode, or `0xNN` for an unknown one.
 *
 * @param code opcode number
 * @returns e.g. `"FLASH_DATA"`
 *
 * @example
 * ```ts
 * import { opName } from "./opcodes.ts";
 * if (opName(0x03) !== "FLASH_DATA" || opName(0x77) !== "0x77") throw new Error();
 * ```
 */
export function opName(code: number): string {
  return byCode.get(code)?.name ?? `0x${code.toString(16).padStart(2, "0")}`;
}

/**
 * The reply timeout for a command, from the table's policy.
 *
 * @param code opcode number
 * @param bytes for scaled policies: the bytes the command covers
 * @returns milliseconds, at most {@link MAX_TIMEOUT_MS}
 *
 * @example
 * ```ts
 * import { timeoutFor, Op } from "./opcodes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(timeoutFor(Op.READ_REG), 3000);
 * assert.equal(timeoutFor(Op.SPI_FLASH_MD5, 4_000_000), 32_000);
 * assert.equal(timeoutFor(Op.SPI_FLASH_MD5, 1000), 3000);
 * ```
 */
export function timeoutFor(code: number, bytes = 0): number {
  const policy = byCode.get(code)?.timeout ?? fixed(DEFAULT_TIMEOUT_MS);
  const ms = policy.kind === "fixed"
    ? policy.ms
    : Math.max(policy.floorMs, Math.ceil(policy.msPerMb * bytes / 1e6));
  return Math.min(ms, MAX_TIMEOUT_MS);
}
