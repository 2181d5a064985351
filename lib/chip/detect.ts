/**
 * Identifying the chip on the other end: the magic register says whether it is an ESP8266 at
 * all; the efuses give the die (ESP8266EX or ESP8285) and the MAC; the UART divider the ROM
 * autobauded gives the crystal (docs/protocol.md §5).
 *
 * @module
 */

import { deviceError } from "../errors.ts";
import { hex32 } from "../bytes/hex.ts";
import type { Connection } from "../protocol/connection.ts";
import { readRegRequest } from "../protocol/requests.ts";
import {
  CHIP_DETECT_MAGIC_REG,
  EFUSE_WORD_ADDRESSES,
  ESP8266_MAGIC_VALUE,
  UART_CLKDIV_MASK,
  UART_CLKDIV_REG,
} from "./esp8266.ts";
import {
  chipIdFromEfuses,
  chipVariant,
  crystalFromDivider,
  type Efuses,
  formatMac,
  macFromEfuses,
} from "./identity.ts";
import type { ChipInfo } from "./session.ts";

/** Magic values of the chips that are not ESP8266s, to name them in the error. */
const OTHER_CHIPS: Record<number, string> = {
  0x00f01d83: "an ESP32",
  0x000007c6: "an ESP32-S2",
  0x9: "an ESP32-S3",
  0x6921506f: "an ESP32-C3",
  0x1b31506f: "an ESP32-C3",
  0x0da1806f: "an ESP32-C6",
  0x2ce0806f: "an ESP32-C6",
  0xd7b73e80: "an ESP32-H2",
  0x97e30068: "an ESP32-H2",
};

async function readReg(conn: Connection, address: number): Promise<number> {
  return (await conn.command(readRegRequest(address))).value >>> 0;
}

/**
 * Checks that the chip is an ESP8266 (or ESP8285).
 *
 * @param conn a synced connection
 * @throws NodeflashError `chip/not-esp8266` naming the chip when it can
 */
export async function checkEsp8266(conn: Connection): Promise<void> {
  const magic = await readReg(conn, CHIP_DETECT_MAGIC_REG);
  if (magic === ESP8266_MAGIC_VALUE) return;
  const other = OTHER_CHIPS[magic];
  throw deviceError(
    "chip/not-esp8266",
    `The chip on ${conn.transport.info.url} is ${
      other ?? `not an ESP8266 (magic ${hex32(magic)})`
    }; nodeflash flashes the ESP8266 and ESP8285`,
    "For ESP32-family chips use esptool or espflash.",
  );
}

/**
 * Reads the four efuse words.
 *
 * @param conn a synced connection
 * @returns word 0..3
 */
export async function readEfuses(conn: Connection): Promise<Efuses> {
  const words: number[] = [];
  // esptool reads them highest first; the order does not matter to the chip
  for (const address of [...EFUSE_WORD_ADDRESSES].reverse()) {
    words.unshift(await readReg(conn, address));
  }
  return [words[0]!, words[1]!, words[2]!, words[3]!];
}

/**
 * Identifies the chip: variant, MAC, chip id, crystal. Run it while the host is at the baud
 * rate it synced at (the crystal estimate uses it).
 *
 * @param conn a synced connection
 * @returns what was found
 */
export async function identifyChip(conn: Connection): Promise<ChipInfo> {
  await checkEsp8266(conn);
  const efuses = await readEfuses(conn);
  const variant = chipVariant(efuses);
  const divider = (await readReg(conn, UART_CLKDIV_REG)) & UART_CLKDIV_MASK;
  return {
    variant: variant.variant,
    description: variant.description,
    features: variant.features,
    mac: formatMac(macFromEfuses(efuses)),
    chipId: chipIdFromEfuses(efuses),
    crystalMhz: crystalFromDivider(conn.transport.baudRate, divider).mhz,
    efuses,
  };
}
