/**
 * Sessions: a connection to a chip plus what is known about it. A {@link RomSession} talks to
 * the ROM loader; a {@link StubSession} exists only after the flasher stub said `OHAI`, so
 * stub-only operations (deflate, MD5, erase, read) take a `StubSession` and "deflate needs the
 * stub" is a type error, not a runtime surprise.
 *
 * @module
 */

import type { Connection } from "../protocol/connection.ts";
import type { ChipVariantName } from "./identity.ts";
import type { FlashSizeName } from "./flash_size.ts";

/** What identification found out about the chip. */
export interface ChipInfo {
  /** The die. */
  variant: ChipVariantName;
  /** esptool's description (`ESP8266EX`, `ESP8285N08`...). */
  description: string;
  /** Features (`WiFi`, `160MHz`, `Embedded Flash`). */
  features: string[];
  /** MAC as `5c:cf:7f:ab:cd:ef`. */
  mac: string;
  /** The SDK's chip id (`system_get_chip_id()`). */
  chipId: number;
  /** Crystal, MHz. */
  crystalMhz: 26 | 40 | 48;
  /** The four efuse words. */
  efuses: readonly [number, number, number, number];
}

/** What the SPI flash said about itself. */
export interface FlashInfo {
  /** JEDEC id as read from W0: manufacturer | type << 8 | capacity << 16. */
  jedecId: number;
  /** Manufacturer byte (0xEF Winbond, 0xC8 GigaDevice...). */
  manufacturer: number;
  /** (type << 8) | capacity, as esptool prints "Device". */
  device: number;
  /** The size the id implies, when known and usable on an ESP8266. */
  size: FlashSizeName | undefined;
}

/** Common to both session kinds. */
export interface SessionBase {
  /** The command connection. */
  readonly conn: Connection;
  /** The chip. */
  readonly chip: ChipInfo;
}

/** Talking to the ESP8266 ROM loader (no deflate, no MD5, no erase or read, 1 KiB blocks). */
export interface RomSession extends SessionBase {
  /** Discriminant. */
  readonly kind: "rom";
}

/** Talking to a flasher stub (uploaded by nodeflash, or found running). */
export interface StubSession extends SessionBase {
  /** Discriminant. */
  readonly kind: "stub";
  /** Which stub: the one nodeflash uploaded, or one found already running. */
  readonly stub: "esp-flasher-stub" | "already-running";
}

/** Either session. */
export type Session = RomSession | StubSession;
