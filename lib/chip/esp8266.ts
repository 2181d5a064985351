/**
 * The ESP8266 as data: register addresses, block sizes, and small pure functions over what the
 * chip reports (eFuse words → variant, MAC and chip id; UART divider → crystal), the ROM's
 * erase-size bug and the NONOS SDK flash layout. No I/O: the flasher reads the registers, the
 * simulator uses the inverses ({@link efusesForMac}, {@link romErasedSectors}).
 *
 * Facts: docs/protocol.md §5 (eFuses, MAC, crystal), §6 (SPI registers), §7.1 (block sizes),
 * §7.3 (erase bug), §12 (flash layout).
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";

/** READ_REG here tells the chip family. */
export const CHIP_DETECT_MAGIC_REG = 0x40001000;
/** What an ESP8266 returns from {@link CHIP_DETECT_MAGIC_REG}. */
export const ESP8266_MAGIC_VALUE = 0xfff0c101;
/** The four eFuse (OTP) words, word 0 first. */
export const EFUSE_WORD_ADDRESSES: readonly [number, number, number, number] = Object.freeze(
  [0x3ff00050, 0x3ff00054, 0x3ff00058, 0x3ff0005c] as const,
);
/** UART0 clock divider register. */
export const UART_CLKDIV_REG = 0x60000014;
/** Bits of {@link UART_CLKDIV_REG} that hold the divider. */
export const UART_CLKDIV_MASK = 0xfffff;
/** The SPI controller registers used to run flash commands (RDID, SFDP...). */
export const SPI_REGS: Readonly<
  Record<"CMD" | "ADDR" | "USER" | "USER1" | "USER2" | "W0", number>
> = Object.freeze(
  {
    CMD: 0x60000200,
    ADDR: 0x60000204,
    USER: 0x6000021c,
    USER1: 0x60000220,
    USER2: 0x60000224,
    W0: 0x60000240,
  } as const,
);
/** CMD register bit 18: start the user command; it clears when the command is done. */
export const SPI_CMD_USR = 1 << 18;
/** Flag bits of the SPI USER register. */
export const SPI_USER_BITS: Readonly<
  Record<"COMMAND" | "ADDR" | "DUMMY" | "MISO" | "MOSI", number>
> = Object.freeze(
  {
    COMMAND: 0x80000000,
    ADDR: 0x40000000,
    DUMMY: 0x20000000,
    MISO: 0x10000000,
    MOSI: 0x08000000,
  } as const,
);
/** FLASH_DATA block size through the ROM. */
export const ROM_WRITE_BLOCK = 0x400;
/** FLASH_DATA / FLASH_DEFL_DATA block size through the stub. */
export const STUB_WRITE_BLOCK = 0x4000;
/** MEM_DATA block size (stub upload). */
export const RAM_BLOCK = 0x1800;
/** Flash sector (smallest erase unit). */
export const SECTOR_SIZE = 0x1000;
/** Sectors per 64 KiB erase block (the unit of the ROM erase bug). */
export const SECTORS_PER_BLOCK = 16;
/** Where the flash is mapped for code (IROM), 0x40200000..0x40300000. */
export const IROM_MAP: Readonly<{ start: number; end: number }> = Object.freeze(
  { start: 0x40200000, end: 0x40300000 } as const,
);

/** The four eFuse words, word 0 (0x3FF00050) first. */
export type Efuses = readonly [number, number, number, number];

/** Which die. */
export type ChipVariantName = "ESP8266EX" | "ESP8285";

/** What the eFuses say about the chip. */
export interface ChipVariant {
  /** The die. */
  variant: ChipVariantName;
  /** esptool's description: `ESP8266EX`, `ESP8285N08`, `ESP8285H16`, or plain `ESP8285`. */
  description: string;
  /** Embedded flash of an ESP8285 when the eFuses tell it. */
  embeddedFlash?: "1MB" | "2MB" | "4MB";
  /** ESP8285 temperature grade (eFuse bit 5 = high). */
  temperature?: "normal" | "high";
  /** Features as esptool v5 lists them. */
  features: string[];
}

const bit = (efuses: Efuses, n: number): boolean => ((efuses[n >> 5]! >>> (n & 31)) & 1) === 1;

function embeddedFlash(efuses: Efuses): "1MB" | "2MB" | "4MB" | undefined {
  const r0_4 = bit(efuses, 4);
  const r3_25 = bit(efuses, 121);
  const r3_26 = bit(efuses, 122);
  const r3_27 = bit(efuses, 123);
  if (r3_27) return undefined;
  if (r0_4 && !r3_25) return r3_26 ? "2MB" : "1MB";
  if (!r0_4 && r3_25) return r3_26 ? "4MB" : "2MB";
  return undefined;
}

/**
 * Tells ESP8266EX from ESP8285 (eFuse bit 4 or bit 80 set) and, for an ESP8285, its embedded
 * flash size and N08/H08/N16/H16 name, as esptool does.
 *
 * @param efuses the four eFuse words
 * @returns the variant
 *
 * @example
 * ```ts
 * import { chipVariant } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * assert.equal(chipVariant([0xa6160000, 0x020023b4, 0, 0x00600194]).description, "ESP8266EX");
 * assert.equal(chipVariant([0x10, 0, 0, 0]).description, "ESP8285N08");
 * ```
 */
export function chipVariant(efuses: Efuses): ChipVariant {
  if (!bit(efuses, 4) && !bit(efuses, 80)) {
    return { variant: "ESP8266EX", description: "ESP8266EX", features: ["Wi-Fi", "160MHz"] };
  }
  const flash = embeddedFlash(efuses);
  const temperature = bit(efuses, 5) ? "high" : "normal";
  const grade = temperature === "high" ? "H" : "N";
  const description = flash === "1MB"
    ? `ESP8285${grade}08`
    : flash === "2MB"
    ? `ESP8285${grade}16`
    : "ESP8285";
  const out: ChipVariant = {
    variant: "ESP8285",
    description,
    temperature,
    features: ["Wi-Fi", "160MHz", "Embedded Flash"],
  };
  if (flash !== undefined) out.embeddedFlash = flash;
  return out;
}

/** OUIs chosen by word 1 bits 16..23 when word 3 is zero (older chips). */
const LEGACY_OUIS: Readonly<Record<number, readonly [number, number, number]>> = {
  0: [0x18, 0xfe, 0x34],
  1: [0xac, 0xd0, 0x74],
};

/**
 * The station MAC address from the eFuse words (esptool `read_mac`): the OUI comes from word 3
 * when it is non-zero, else from a selector in word 1 (0 → 18:FE:34, 1 → AC:D0:74); the NIC
 * part from words 1 and 0.
 *
 * @param efuses the four eFuse words
 * @returns 6 bytes
 * @throws a device error `chip/unknown-oui` when word 3 is zero and the selector is unknown
 *
 * @example
 * ```ts
 * import { formatMac, macFromEfuses } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * const mac = macFromEfuses([0xa6160000, 0x020023b4, 0, 0x00600194]);
 * assert.equal(formatMac(mac), "60:01:94:23:b4:a6");
 * ```
 */
export function macFromEfuses(efuses: Efuses): Uint8Array {
  const [w0, w1, , w3] = efuses;
  let oui: readonly number[] | undefined;
  if (w3 !== 0) {
    oui = [(w3 >>> 16) & 0xff, (w3 >>> 8) & 0xff, w3 & 0xff];
  } else {
    const selector = (w1 >>> 16) & 0xff;
    oui = LEGACY_OUIS[selector];
    if (oui === undefined) {
      throw deviceError(
        "chip/unknown-oui",
        `Cannot work out the MAC address: unknown OUI (eFuse word 3 is 0 and the selector in word 1 is ` +
          `0x${selector.toString(16).padStart(2, "0")}; known: 0x00, 0x01)`,
        "The eFuses may be unreadable or the chip is not a genuine ESP8266; read them again " +
          "after a reset, and if this repeats, identify the board by another means.",
        { details: { efuses: [...efuses] } },
      );
    }
  }
  return new Uint8Array([...oui, (w1 >>> 8) & 0xff, w1 & 0xff, (w0 >>> 24) & 0xff]);
}

/**
 * Formats a MAC address as lower-case hex pairs with colons.
 *
 * @param mac 6 bytes
 * @returns e.g. `5c:cf:7f:ab:cd:ef`
 *
 * @example
 * ```ts
 * import { formatMac } from "./esp8266.ts";
 * if (formatMac(new Uint8Array([0x5c, 0xcf, 0x7f, 0xab, 0xcd, 0xef])) !== "5c:cf:7f:ab:cd:ef") {
 *   throw new Error();
 * }
 * ```
 */
export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join(":");
}

/**
 * Parses `5c:cf:7f:ab:cd:ef` (or with `-`, or none) into 6 bytes.
 *
 * @param text the address
 * @returns 6 bytes
 * @throws a user error `input/mac` when it is not a MAC address
 *
 * @example
 * ```ts
 * import { parseMac } from "./esp8266.ts";
 * if (parseMac("5C-CF-7F-AB-CD-EF")[5] !== 0xef) throw new Error();
 * ```
 */
export function parseMac(text: string): Uint8Array {
  const clean = text.trim().toLowerCase();
  const m =
    /^([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})$/
      .exec(clean);
  if (!m) {
    throw userError(
      "input/mac",
      `'${text}' is not a MAC address`,
      "Write it as six hex pairs, e.g. 5c:cf:7f:ab:cd:ef.",
    );
  }
  return new Uint8Array(m.slice(1).map((h) => parseInt(h, 16)));
}

/**
 * The chip id as the SDK's `system_get_chip_id()` and esptool's `chip-id` report it:
 * `(word0 >> 24) | ((word1 & 0xFFFFFF) << 8)`.
 *
 * @param efuses the four eFuse words
 * @returns an unsigned 32-bit id
 *
 * @example
 * ```ts
 * import { chipIdFromEfuses } from "./esp8266.ts";
 * if (chipIdFromEfuses([0xa6160000, 0x020023b4, 0, 0x00600194]) !== 0x0023b4a6) throw new Error();
 * ```
 */
export function chipIdFromEfuses(efuses: Efuses): number {
  return ((efuses[0] >>> 24) | ((efuses[1] & 0xffffff) << 8)) >>> 0;
}

/** Options for {@link efusesForMac}. */
export interface EfusesForMacOptions {
  /** The die; ESP8266EX by default. */
  variant?: ChipVariantName;
  /** ESP8285 embedded flash, 1MB by default; `"unknown"` sets only the ESP8285 marker bit. */
  embeddedFlash?: "1MB" | "2MB" | "4MB" | "unknown";
  /** ESP8285 temperature grade, normal by default. */
  temperature?: "normal" | "high";
}

/**
 * Builds eFuse words that decode back to `mac` (and to the chosen variant) with
 * {@link macFromEfuses} and {@link chipVariant}; for simulated chips. The OUI is always stored
 * in word 3, as on current chips, so an all-zero OUI cannot be expressed.
 *
 * @param mac 6 bytes or text such as `5c:cf:7f:ab:cd:ef`
 * @param options variant, embedded flash and temperature grade
 * @returns the four words
 * @throws a user error `input/mac` for a bad address or an all-zero OUI
 *
 * @example
 * ```ts
 * import { efusesForMac, formatMac, macFromEfuses, chipVariant } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * const words = efusesForMac("5c:cf:7f:ab:cd:ef", { variant: "ESP8285", embeddedFlash: "2MB" });
 * assert.equal(formatMac(macFromEfuses(words)), "5c:cf:7f:ab:cd:ef");
 * assert.equal(chipVariant(words).description, "ESP8285N16");
 * ```
 */
export function efusesForMac(mac: Uint8Array | string, options: EfusesForMacOptions = {}): Efuses {
  const b = typeof mac === "string" ? parseMac(mac) : mac;
  if (b.length !== 6 || (b[0] === 0 && b[1] === 0 && b[2] === 0)) {
    throw userError(
      "input/mac",
      `Cannot store MAC ${formatMac(b)} in ESP8266 eFuses`,
      "Give 6 bytes with a non-zero OUI (first three bytes).",
    );
  }
  let w0 = (b[5]! << 24) >>> 0;
  const w1 = ((b[3]! << 8) | b[4]!) >>> 0;
  let w2 = 0;
  let w3 = ((b[0]! << 16) | (b[1]! << 8) | b[2]!) >>> 0;
  if ((options.variant ?? "ESP8266EX") === "ESP8285") {
    const flash = options.embeddedFlash ?? "1MB";
    if (flash === "1MB" || flash === "2MB") w0 |= 1 << 4;
    else w2 |= 1 << 16;
    if (flash === "4MB") w3 |= 1 << 25;
    if (flash === "2MB" || flash === "4MB") w3 |= 1 << 26;
    if (options.temperature === "high") w0 |= 1 << 5;
  }
  return [w0 >>> 0, w1, w2, w3 >>> 0];
}

/** The crystal frequency worked out from the UART divider. */
export interface CrystalEstimate {
  /** esptool's normalised value. */
  mhz: 26 | 40 | 48;
  /** The raw estimate, baud × divider / 1e6 / 2. */
  estimateMhz: number;
  /** Whether the estimate is more than 1 MHz from `mhz` (esptool warns). */
  unusual: boolean;
}

/**
 * Estimates the crystal from the host baud rate and the UART clock divider register (the
 * ESP8266 UART clock is twice the crystal), normalised as esptool does: > 45 → 48, > 33 → 40,
 * else 26.
 *
 * @param baud the host baud rate the chip answered at
 * @param divider the value read from {@link UART_CLKDIV_REG} (masked here)
 * @returns the normalised frequency and the raw estimate
 *
 * @example
 * ```ts
 * import { crystalFromDivider } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * assert.equal(crystalFromDivider(115200, 452).mhz, 26);
 * assert.equal(crystalFromDivider(115200, 694).mhz, 40);
 * ```
 */
export function crystalFromDivider(baud: number, divider: number): CrystalEstimate {
  const estimateMhz = (baud * (divider & UART_CLKDIV_MASK)) / 1e6 / 2;
  const mhz = estimateMhz > 45 ? 48 : estimateMhz > 33 ? 40 : 26;
  return { mhz, estimateMhz, unusual: Math.abs(mhz - estimateMhz) > 1 };
}

/**
 * The UART divider a chip with this crystal shows after autobauding to `baud` (for simulated
 * chips): round(2 × crystal / baud).
 *
 * @param baud the host baud rate
 * @param crystalMhz the crystal frequency
 * @returns the divider
 *
 * @example
 * ```ts
 * import { crystalFromDivider, uartDividerFor } from "./esp8266.ts";
 * if (crystalFromDivider(115200, uartDividerFor(115200, 40)).mhz !== 40) throw new Error();
 * ```
 */
export function uartDividerFor(baud: number, crystalMhz: number): number {
  return Math.round((crystalMhz * 2e6) / baud) & UART_CLKDIV_MASK;
}

/** A run of flash sectors. */
export interface SectorRange {
  /** First sector (offset / 4096). */
  startSector: number;
  /** Number of sectors. */
  count: number;
}

/**
 * What the ESP8266 ROM erases for FLASH_BEGIN(eraseSize, offset): with e = ceil(eraseSize /
 * 4096) and h = 16 − (start sector mod 16), it erases e + min(e, h) sectors from the start
 * sector (docs §7.3). The stub erases what it is asked.
 *
 * @param offset FLASH_BEGIN offset
 * @param eraseSize FLASH_BEGIN erase size (word 0)
 * @returns the sectors erased
 *
 * @example
 * ```ts
 * import { romErasedSectors } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(romErasedSectors(0, 0x4000), { startSector: 0, count: 8 });
 * ```
 */
export function romErasedSectors(offset: number, eraseSize: number): SectorRange {
  const startSector = Math.floor(offset / SECTOR_SIZE);
  const e = Math.ceil(eraseSize / SECTOR_SIZE);
  const h = SECTORS_PER_BLOCK - (startSector % SECTORS_PER_BLOCK);
  return { startSector, count: e + Math.min(e, h) };
}

/**
 * The erase size to send in a ROM FLASH_BEGIN so that the buggy ROM erases the sectors
 * `[offset, offset + size)` needs (esptool's `get_erase_size`). With n sectors needed and
 * head = min(n, sectors left to the next 64 KiB boundary): if n < 2·head send ceil(n / 2)
 * sectors, else n − head. Proven bound (see the test): the ROM then erases from the first
 * needed sector, all n of them and at most one more — exactly one more when n is odd and
 * n < 2·h. An offset inside a sector counts that sector in n (esptool aligns first anyway).
 *
 * @param offset where the data goes
 * @param size how many bytes
 * @returns the byte count for FLASH_BEGIN word 0 (a multiple of 4096)
 *
 * @example
 * ```ts
 * import { romEraseSizeWorkaround } from "./esp8266.ts";
 * import assert from "node:assert/strict";
 * assert.equal(romEraseSizeWorkaround(0x10000, 0x60000), 80 * 4096);
 * ```
 */
export function romEraseSizeWorkaround(offset: number, size: number): number {
  if (size <= 0) return 0;
  const startSector = Math.floor(offset / SECTOR_SIZE);
  const n = Math.ceil(((offset % SECTOR_SIZE) + size) / SECTOR_SIZE);
  const head = Math.min(n, SECTORS_PER_BLOCK - (startSector % SECTORS_PER_BLOCK));
  const sectors = n < 2 * head ? Math.floor((n + 1) / 2) : n - head;
  return sectors * SECTOR_SIZE;
}

/** Where the NONOS SDK keeps its data at the end of the flash. */
export interface FlashLayout {
  /** RF init data (`esp_init_data_default.bin`, 128 bytes): size − 0x4000. */
  initData: number;
  /** SDK system parameters: the last 3 sectors. */
  systemParams: { offset: number; length: number };
  /** Where `blank.bin` goes: size − 0x2000. */
  blank: number;
  /** RF calibration sector used by the SDK examples: size − 0x5000. */
  rfCal: number;
}

/**
 * The SDK system area for a flash size (docs §12): init data at size − 0x4000 (0x7C000 on
 * 512KB, 0x3FC000 on 4MB), system parameters in the last 0x3000 bytes, blank.bin at size −
 * 0x2000, RF calibration at size − 0x5000.
 *
 * @param sizeBytes the flash size in bytes (a multiple of 4096, at least 64 KiB)
 * @returns the addresses
 * @throws a user error `input/flash-layout` for a size that is not a whole number of sectors
 *
 * @example
 * ```ts
 * import { flashLayout } from "./esp8266.ts";
 * if (flashLayout(4 * 1024 * 1024).initData !== 0x3fc000) throw new Error();
 * ```
 */
export function flashLayout(sizeBytes: number): FlashLayout {
  if (!Number.isInteger(sizeBytes) || sizeBytes % SECTOR_SIZE !== 0 || sizeBytes < 0x10000) {
    throw userError(
      "input/flash-layout",
      `Cannot lay out the SDK system area on a flash of ${sizeBytes} bytes`,
      "Give the flash size in bytes, a multiple of 4096 and at least 64 KiB (e.g. 4194304).",
    );
  }
  return {
    initData: sizeBytes - 0x4000,
    systemParams: { offset: sizeBytes - 0x3000, length: 0x3000 },
    blank: sizeBytes - 0x2000,
    rfCal: sizeBytes - 0x5000,
  };
}
