/**
 * The command set of the simulated W25Q32-class flash (the Winbond W25Q32FV/JV standard, dual and
 * quad SPI instruction tables) as data: for each opcode, its name, the lines its phases use, and
 * the layout of the cycle after the command byte (address, mode bits, dummy bits, data).
 *
 * **Serialised phases.** The ESP8266's SPI0 user-command path, as the simulator models it,
 * carries one bit per clock on one line, and `SpiFlashChip.transfer` (`spi_flash_chip.ts`) takes
 * one bit per element. A phase the datasheet sends on two or four lines is taken as the same bits
 * in the same order, one per element: 0xBB's address and mode bits are 24 + 8 elements, 0xEB's
 * four dummy clocks on four lines are 16. A host that gets a phase's length wrong reads shifted
 * data.
 *
 * QPI mode (0x38 enter, 0xFF exit, 0xC0 set read parameters, 0x0C burst read: FV parts only) is
 * not in the table: the chip ignores opcodes it does not know. A lone 0xFF in continuous read
 * mode is the data sheets' mode-bit reset (`flash_read_modes.ts`).
 *
 * @module
 */

/** Lines used by the command, address and data phases, as the datasheets write them. */
export type FlashLines = "1-1-1" | "1-1-2" | "1-1-4" | "1-2-2" | "1-4-4";

/** One row of {@link FLASH_COMMANDS}. */
export interface FlashCommand {
  /** The datasheet's name. */
  readonly name: string;
  /** Lines of the command, address and data phases. */
  readonly lines: FlashLines;
  /** Address bits after the command byte (A23..A0). */
  readonly addressBits: 0 | 24;
  /** Mode bits M7..M0 after the address (M5..4 = 10 asks for continuous read). */
  readonly modeBits: 0 | 8;
  /** Dummy bits before the data: the datasheet's dummy clocks times the lines. */
  readonly dummyBits: number;
  /**
   * `output`: the chip drives data from the first data bit to the end of the cycle; `input`: the
   * host's data, whole bytes, acted on when chip-select rises; `none`: no data phase, acted on
   * when chip-select rises after exactly the address bits.
   */
  readonly data: "output" | "input" | "none";
}

const row = (
  name: string,
  data: FlashCommand["data"],
  layout: Partial<Omit<FlashCommand, "name" | "data">> = {},
): FlashCommand => ({
  name,
  lines: "1-1-1",
  addressBits: 0,
  modeBits: 0,
  dummyBits: 0,
  data,
  ...layout,
});

const A24 = { addressBits: 24 } as const;

/**
 * Every opcode the simulated chip answers. Anything else is ignored (the chip drives nothing).
 *
 * @example
 * ```ts
 * import { FLASH_COMMANDS } from "./flash_command_table.ts";
 * import assert from "node:assert/strict";
 * const eb = FLASH_COMMANDS[0xeb]!;
 * assert.equal(eb.lines, "1-4-4");
 * assert.equal(eb.addressBits + eb.modeBits + eb.dummyBits, 48); // data starts at bit 48
 * assert.equal(FLASH_COMMANDS[0x38], undefined); // QPI is not modelled
 * ```
 */
export const FLASH_COMMANDS: Readonly<Record<number, FlashCommand>> = {
  // Identification
  0x9f: row("Read JEDEC ID", "output"),
  0x90: row("Manufacturer/Device ID", "output", A24),
  0x92: row("Manufacturer/Device ID Dual I/O", "output", { ...A24, lines: "1-2-2", modeBits: 8 }),
  0x94: row("Manufacturer/Device ID Quad I/O", "output", {
    ...A24,
    lines: "1-4-4",
    modeBits: 8,
    dummyBits: 16,
  }),
  0xab: row("Release Power-down / Device ID", "output", { dummyBits: 24 }),
  0x4b: row("Read Unique ID", "output", { dummyBits: 32 }),
  0x5a: row("Read SFDP Register", "output", { ...A24, dummyBits: 8 }),
  // Status registers
  0x05: row("Read Status Register-1", "output"),
  0x35: row("Read Status Register-2", "output"),
  0x15: row("Read Status Register-3", "output"),
  0x01: row("Write Status Register-1", "input"),
  0x31: row("Write Status Register-2", "input"),
  0x11: row("Write Status Register-3", "input"),
  0x06: row("Write Enable", "none"),
  0x50: row("Volatile SR Write Enable", "none"),
  0x04: row("Write Disable", "none"),
  // Reads
  0x03: row("Read Data", "output", A24),
  0x0b: row("Fast Read", "output", { ...A24, dummyBits: 8 }),
  0x3b: row("Fast Read Dual Output", "output", { ...A24, lines: "1-1-2", dummyBits: 8 }),
  0x6b: row("Fast Read Quad Output", "output", { ...A24, lines: "1-1-4", dummyBits: 8 }),
  0xbb: row("Fast Read Dual I/O", "output", { ...A24, lines: "1-2-2", modeBits: 8 }),
  0xeb: row("Fast Read Quad I/O", "output", {
    ...A24,
    lines: "1-4-4",
    modeBits: 8,
    dummyBits: 16,
  }),
  0xe7: row("Word Read Quad I/O", "output", { ...A24, lines: "1-4-4", modeBits: 8, dummyBits: 8 }),
  0xe3: row("Octal Word Read Quad I/O", "output", { ...A24, lines: "1-4-4", modeBits: 8 }),
  0x77: row("Set Burst with Wrap", "input", { lines: "1-4-4", dummyBits: 24 }),
  // Program and erase
  0x02: row("Page Program", "input", A24),
  0x32: row("Quad Input Page Program", "input", { ...A24, lines: "1-1-4" }),
  0x20: row("Sector Erase (4KB)", "none", A24),
  0x52: row("Block Erase (32KB)", "none", A24),
  0xd8: row("Block Erase (64KB)", "none", A24),
  0xc7: row("Chip Erase", "none"),
  0x60: row("Chip Erase", "none"),
  0x75: row("Erase / Program Suspend", "none"),
  0x7a: row("Erase / Program Resume", "none"),
  // Security registers
  0x48: row("Read Security Registers", "output", { ...A24, dummyBits: 8 }),
  0x42: row("Program Security Registers", "input", A24),
  0x44: row("Erase Security Registers", "none", A24),
  // Individual block/sector locks
  0x36: row("Individual Block Lock", "none", A24),
  0x39: row("Individual Block Unlock", "none", A24),
  0x3d: row("Read Block Lock", "output", A24),
  0x7e: row("Global Block Lock", "none"),
  0x98: row("Global Block Unlock", "none"),
  // Power and reset
  0xb9: row("Power-down", "none"),
  0x66: row("Enable Reset", "none"),
  0x99: row("Reset Device", "none"),
};

/**
 * Where a command's data phase starts, in bits after the command byte.
 *
 * @param command the row
 * @returns address + mode + dummy bits
 *
 * @example
 * ```ts
 * import { dataStart, FLASH_COMMANDS } from "./flash_command_table.ts";
 * import assert from "node:assert/strict";
 * assert.equal(dataStart(FLASH_COMMANDS[0x0b]!), 32);
 * assert.equal(dataStart(FLASH_COMMANDS[0x9f]!), 0);
 * ```
 */
export function dataStart(command: FlashCommand): number {
  return command.addressBits + command.modeBits + command.dummyBits;
}
