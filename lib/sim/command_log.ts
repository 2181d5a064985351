/**
 * What the board was asked and what it answered: one record per command a loader handled, with
 * its arguments decoded by name, for tests and for `nodeflash sim --verbose`.
 *
 * @module
 */

import { Op, opName } from "../protocol/opcodes.ts";
import { words } from "./request.ts";

/** Which loader handled a command. */
export type LoaderName = "rom" | "stub";

/** One handled command. */
export interface CommandRecord {
  /** Running number, from 1. */
  seq: number;
  /** Device time (µs) when it was handled. */
  timeUs: number;
  /** The ROM loader or the stub. */
  loader: LoaderName;
  /** Opcode. */
  op: number;
  /** Opcode name (`FLASH_DATA`, or `0x77`). */
  name: string;
  /** Decoded arguments (see {@link describeArgs}). */
  args: Record<string, number>;
  /** Length of the data field as received. */
  dataLength: number;
  /** The reply, or `"none"` when the loader stayed silent. */
  reply: { value: number; status: readonly [number, number] } | "none";
  /** Extra detail (`"erased 32 sectors from 0x10"`). */
  note?: string;
}

const ARG_NAMES: Readonly<Record<number, readonly string[]>> = {
  [Op.FLASH_BEGIN]: ["size", "blocks", "blockSize", "offset", "encrypted"],
  [Op.FLASH_DEFL_BEGIN]: ["size", "blocks", "blockSize", "offset", "encrypted"],
  [Op.MEM_BEGIN]: ["size", "blocks", "blockSize", "address"],
  [Op.FLASH_DATA]: ["length", "seq"],
  [Op.FLASH_DEFL_DATA]: ["length", "seq"],
  [Op.MEM_DATA]: ["length", "seq"],
  [Op.FLASH_END]: ["flag"],
  [Op.FLASH_DEFL_END]: ["flag"],
  [Op.MEM_END]: ["flag", "entry"],
  [Op.READ_REG]: ["address"],
  [Op.WRITE_REG]: ["address", "value", "mask", "delayUs"],
  [Op.SPI_SET_PARAMS]: ["id", "totalSize", "blockSize", "sectorSize", "pageSize", "statusMask"],
  [Op.SPI_ATTACH]: ["config"],
  [Op.CHANGE_BAUDRATE]: ["baud", "oldBaud"],
  [Op.SPI_FLASH_MD5]: ["address", "size"],
  [Op.ERASE_REGION]: ["offset", "size"],
  [Op.READ_FLASH]: ["offset", "length", "packetSize", "maxInFlight"],
};

/**
 * Names the argument words of a request.
 *
 * @param op the opcode
 * @param data the request's data field
 * @returns the words present, by name
 *
 * @example
 * ```ts
 * import { describeArgs } from "./command_log.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(describeArgs(0xd1, new Uint8Array([0, 0x10, 0, 0, 0, 0x20, 0, 0])), { offset: 0x1000, size: 0x2000 });
 * ```
 */
export function describeArgs(op: number, data: Uint8Array): Record<string, number> {
  const names = ARG_NAMES[op] ?? [];
  const present = Math.min(names.length, Math.floor(data.length / 4));
  const values = words(data, present);
  const out: Record<string, number> = {};
  for (let i = 0; i < present; i++) out[names[i]!] = values[i]!;
  if (op === Op.WRITE_REG && data.length >= 32) out.entries = Math.floor(data.length / 16);
  return out;
}

/**
 * A bounded log of {@link CommandRecord}s (the oldest are dropped past the limit).
 *
 * @example
 * ```ts
 * import { CommandLog } from "./command_log.ts";
 * import assert from "node:assert/strict";
 * const log = new CommandLog(2);
 * for (const op of [8, 10, 10]) {
 *   log.add({ timeUs: 0, loader: "rom", op, args: {}, dataLength: 0, reply: "none" });
 * }
 * assert.deepEqual(log.entries.map((r) => r.seq), [2, 3]);
 * assert.equal(log.entries[0]?.name, "READ_REG");
 * ```
 */
export class CommandLog {
  readonly #limit: number;
  #records: CommandRecord[] = [];
  #seq = 0;

  /**
   * Creates an empty log.
   *
   * @param limit how many records to keep, 10000 by default
   */
  constructor(limit = 10_000) {
    this.#limit = Math.max(1, limit);
  }

  /** The records kept, oldest first. */
  get entries(): readonly CommandRecord[] {
    return this.#records;
  }

  /**
   * Adds a record.
   *
   * @param record everything but `seq` and `name`
   * @returns the stored record
   */
  add(record: Omit<CommandRecord, "seq" | "name">): CommandRecord {
    const full: CommandRecord = { ...record, seq: ++this.#seq, name: opName(record.op) };
    this.#records.push(full);
    if (this.#records.length > this.#limit) this.#records.shift();
    return full;
  }

  /** Forgets every record (the running number continues). */
  clear(): void {
    this.#records = [];
  }
}
