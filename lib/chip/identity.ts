/**
 * What the chip says about itself, decoded: the eFuse words give the die (ESP8266EX or ESP8285,
 * with the ESP8285's embedded flash), the MAC and the SDK's chip id; the UART divider the ROM
 * autobauded gives the crystal. The inverses ({@link efusesForMac}, {@link uartDividerFor}) build
 * those values for a given MAC or crystal. Pure functions, no I/O.
 *
 * Facts: docs/protocol.md §5 (eFuses, MAC, crystal).
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";
import { UART_CLKDIV_MASK } from "./esp8266.ts";
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
 * import { chipVariant } from "./identity.ts";
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
 * import { formatMac, macFromEfuses } from "./identity.ts";
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
 * import { formatMac } from "./identity.ts";
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
 * import { parseMac } from "./identity.ts";
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
 * import { chipIdFromEfuses } from "./identity.ts";
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
 * import { efusesForMac, formatMac, macFromEfuses, chipVariant } from "./identity.ts";
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
 * import { crystalFromDivider } from "./identity.ts";
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
 * import { crystalFromDivider, uartDividerFor } from "./identity.ts";
 * if (crystalFromDivider(115200, uartDividerFor(115200, 40)).mhz !== 40) throw new Error();
 * ```
 */
export function uartDividerFor(baud: number, crystalMhz: number): number {
  return Math.round((crystalMhz * 2e6) / baud) & UART_CLKDIV_MASK;
}
