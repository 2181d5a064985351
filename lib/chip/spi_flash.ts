/**
 * Running SPI flash commands through the ESP8266's SPI controller registers (READ_REG /
 * WRITE_REG), as esptool does for RDID: works with the ROM and with the stub
 * (docs/protocol.md §6).
 *
 * @module
 */

import { deviceError } from "../errors.ts";
import type { Connection } from "../protocol/connection.ts";
import { readRegRequest, writeRegRequest } from "../protocol/requests.ts";
import { SPI_CMD_USR, SPI_REGS, SPI_USER_BITS } from "./esp8266.ts";
import type { FlashInfo } from "./session.ts";
import { flashSizeFromJedec } from "./jedec.ts";

/** One SPI flash command. */
export interface SpiCommand {
  /** The command byte (0x9F RDID, 0x05 RDSR...). */
  command: number;
  /** Bits to read back (at most 32). */
  readBits?: number;
  /** Address sent after the command. */
  address?: number;
  /** Address length in bits (24 for most commands). */
  addressBits?: number;
  /** Dummy cycles between address and data. */
  dummyCycles?: number;
  /** Bytes to send after the command/address (at most 64). */
  data?: Uint8Array;
}

const field = (bits: number) => bits > 0 ? bits - 1 : 0;

async function readReg(conn: Connection, address: number): Promise<number> {
  return (await conn.command(readRegRequest(address))).value >>> 0;
}

async function writeReg(conn: Connection, address: number, value: number): Promise<void> {
  await conn.command(writeRegRequest([{ address, value }]));
}

/**
 * Writes registers in order: one WRITE_REG with every entry through a stub (both stubs take
 * several 16-byte entries), one WRITE_REG each through the ROM (whether the ESP8266 ROM takes
 * more than one entry is not documented).
 */
async function writeRegs(conn: Connection, regs: Array<[number, number]>): Promise<void> {
  if (conn.loader === "stub") {
    await conn.command(writeRegRequest(regs.map(([address, value]) => ({ address, value }))));
    return;
  }
  for (const [address, value] of regs) await writeReg(conn, address, value);
}

/** Sets up and runs one user command; the caller saved USER/USER2 and restores them. */
async function execute(conn: Connection, cmd: SpiCommand, readBits: number): Promise<void> {
  const data = cmd.data ?? new Uint8Array(0);
  const addressBits = cmd.address === undefined ? 0 : cmd.addressBits ?? 24;
  const dummy = cmd.dummyCycles ?? 0;
  let flags = SPI_USER_BITS.COMMAND;
  if (readBits > 0) flags |= SPI_USER_BITS.MISO;
  if (data.length > 0) flags |= SPI_USER_BITS.MOSI;
  if (addressBits > 0) flags |= SPI_USER_BITS.ADDR;
  if (dummy > 0) flags |= SPI_USER_BITS.DUMMY;
  const user1 = (field(addressBits) << 26) | (field(data.length * 8) << 17) |
    (field(readBits) << 8) | field(dummy);
  const regs: Array<[number, number]> = [
    [SPI_REGS.USER1, user1 >>> 0],
    [SPI_REGS.USER, flags >>> 0],
    [SPI_REGS.USER2, ((7 << 28) | cmd.command) >>> 0],
  ];
  if (addressBits > 0) regs.push([SPI_REGS.ADDR, (cmd.address! << (32 - addressBits)) >>> 0]);
  if (data.length === 0) {
    regs.push([SPI_REGS.W0, 0]);
  } else {
    const padded = new Uint8Array(Math.ceil(data.length / 4) * 4);
    padded.set(data);
    const view = new DataView(padded.buffer);
    for (let i = 0; i < padded.length; i += 4) {
      regs.push([SPI_REGS.W0 + i, view.getUint32(i, true)]);
    }
  }
  regs.push([SPI_REGS.CMD, SPI_CMD_USR]);
  await writeRegs(conn, regs);
  for (let i = 0; i < 10; i++) {
    if (((await readReg(conn, SPI_REGS.CMD)) & SPI_CMD_USR) === 0) return;
  }
  throw deviceError(
    "flash/spi-timeout",
    `The SPI flash command 0x${cmd.command.toString(16)} did not complete`,
    "The flash chip may be missing or wired wrongly.",
  );
}

/** Runs `fn` with the SPI USER and USER2 registers saved and restored around it. */
async function keepingUserRegs<T>(conn: Connection, fn: () => Promise<T>): Promise<T> {
  const savedUser = await readReg(conn, SPI_REGS.USER);
  const savedUser2 = await readReg(conn, SPI_REGS.USER2);
  const result = await fn();
  await writeRegs(conn, [[SPI_REGS.USER, savedUser], [SPI_REGS.USER2, savedUser2]]);
  return result;
}

/**
 * Runs one SPI flash command and returns what it read.
 *
 * @param conn a connection to the ROM or the stub
 * @param cmd the command
 * @returns the bits read (from W0), masked to `readBits`
 * @throws NodeflashError `flash/spi-timeout` when the controller never finishes
 */
export async function runSpiCommand(conn: Connection, cmd: SpiCommand): Promise<number> {
  const readBits = cmd.readBits ?? 0;
  if (readBits > 32 || (cmd.data?.length ?? 0) > 64) throw new RangeError("SPI command too long");
  const result = await keepingUserRegs(conn, async () => {
    await execute(conn, cmd, readBits);
    return readBits > 0 ? await readReg(conn, SPI_REGS.W0) : 0;
  });
  return readBits >= 32 ? result >>> 0 : result & ((1 << readBits) - 1);
}

/** Bytes one SPI user command can read: the controller's W0..W15 buffer. */
const SPI_BUFFER = 64;

/**
 * Reads flash through the SPI controller registers (the READ command, 0x03, 64 bytes at a time).
 * Slow (dozens of register round trips per 64 bytes), but it works with the ROM loader, which
 * has no read command of its own.
 *
 * @param conn a connection to the ROM (attached) or the stub
 * @param region address and length
 * @returns the bytes
 */
export async function readFlashThroughSpi(
  conn: Connection,
  region: { address: number; length: number },
): Promise<Uint8Array> {
  const out = new Uint8Array(region.length);
  await keepingUserRegs(conn, async () => {
    for (let o = 0; o < region.length; o += SPI_BUFFER) {
      const n = Math.min(SPI_BUFFER, region.length - o);
      await execute(conn, { command: 0x03, address: region.address + o, addressBits: 24 }, n * 8);
      for (let w = 0; w < n; w += 4) {
        const word = await readReg(conn, SPI_REGS.W0 + w);
        const bytes = [word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24];
        out.set(bytes.slice(0, Math.min(4, n - w)), o + w);
      }
    }
  });
  return out;
}

/**
 * Reads the flash's JEDEC id (RDID, 0x9F) and what it implies.
 *
 * @param conn a connection to the ROM (attached) or the stub
 * @returns the id, manufacturer, device and size
 */
export async function readFlashId(conn: Connection): Promise<FlashInfo> {
  const id = await runSpiCommand(conn, { command: 0x9f, readBits: 24 });
  return {
    jedecId: id,
    manufacturer: id & 0xff,
    device: ((id >> 8) & 0xff) << 8 | ((id >> 16) & 0xff),
    size: flashSizeFromJedec(id),
  };
}
