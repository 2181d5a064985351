/**
 * Connecting to the ROM loader, the chip, the stub and the board-side steps of a job.
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** Connecting to the ROM loader, the chip, the stub and the board-side steps of a job. */
export const BOARD_CODES: readonly ErrorCode[] = [
  {
    code: "connect/no-sync",
    kind: "device",
    meaning:
      "The chip is in its download mode (the ROM's boot line says so) but does not answer SYNC: the line from the host to the board is down.",
    hint: "Check the cable and the adapter's TX pin; try --baud 115200.",
    troubleshooting: "connect-no-sync",
  },
  {
    code: "connect/booted-firmware",
    kind: "device",
    meaning:
      "The board ran its firmware instead of the ROM loader: GPIO0 was high at reset, or its console echoed the SYNC requests.",
    hint:
      "Hold FLASH (GPIO0) low while tapping RESET and use --before no-reset, or check the DTR/RTS auto-reset circuit.",
    troubleshooting: "connect-booted-firmware",
  },
  {
    code: "connect/gpio15-high",
    kind: "device",
    meaning: "The chip started in SDIO mode: GPIO15 was high at reset.",
    hint: "Pull GPIO15 low (about 10 kOhm to GND); it is wiring, not firmware.",
    troubleshooting: "connect-gpio15-high",
  },
  {
    code: "connect/bad-strapping",
    kind: "device",
    meaning: "The chip reported a boot mode that is neither flash, download nor SDIO.",
    hint: "Check the strapping pins: GPIO0 and GPIO2 high, GPIO15 low for a normal boot.",
    troubleshooting: "connect-bad-strapping",
  },
  {
    code: "connect/no-response",
    kind: "device",
    meaning: "Nothing at all came back from the port during the connection attempts.",
    hint:
      "Check that this is the board's port (nodeflash ports), that it is powered and that the cable carries data; without auto-reset put it in download mode by hand.",
    troubleshooting: "connect-no-response",
  },
  {
    code: "connect/garbage",
    kind: "device",
    meaning: "Only unreadable bytes came back and no SYNC reply: noise or a wrong baud rate.",
    hint: "Try a shorter, data-capable USB cable, a steady supply and --baud 115200.",
    troubleshooting: "connect-garbage",
  },
  {
    code: "chip/not-esp8266",
    kind: "device",
    meaning: "The chip that answered is not an ESP8266 or ESP8285.",
    hint: "nodeflash flashes the ESP8266 only; for ESP32-family chips use esptool or espflash.",
  },
  {
    code: "chip/unknown-oui",
    kind: "device",
    meaning: "The MAC address cannot be worked out from the eFuses (unknown OUI selector).",
    hint: "The eFuses may be unreadable; try again, and report the chip if it persists.",
  },
  {
    code: "stub/no-greeting",
    kind: "device",
    meaning: "The flasher stub was uploaded but did not say OHAI.",
    hint: "Try again at a lower --baud, or use --no-stub to write through the ROM loader.",
  },
  {
    code: "flash/interrupted",
    kind: "device",
    meaning:
      "Writing stopped part way (the port went away or the board stopped answering); the address reached is in the message.",
    hint: "Reconnect the board and run the same command again: what is already written is skipped.",
  },
  {
    code: "flash/power-unstable",
    kind: "device",
    meaning:
      "The board restarted three times during one command (brown-outs: ROM text or a new OHAI on the line, or the ROM answering where the stub ran): its supply does not hold up, so retrying would not end.",
    hint:
      "Power the board from another USB port or a powered hub with a short data cable; a 470 µF capacitor across 3.3 V and GND helps. A lower --baud does not help.",
  },
  {
    code: "read/interrupted",
    kind: "device",
    meaning:
      "A read stopped part way and recovering (--retries) could not go on; the address up to which every byte was read and checked is in the message.",
    hint: "Check the cable and try again, or use a lower --baud.",
  },
  {
    code: "erase/interrupted",
    kind: "device",
    meaning:
      "An erase stopped part way and recovering could not go on; the part that may not be erased is in the message.",
    hint: "Reconnect the board and run the same command again.",
  },
  {
    code: "flash/spi-timeout",
    kind: "device",
    meaning: "An SPI flash command did not complete.",
    hint: "The flash chip may be missing, faulty or wired wrongly.",
  },
  {
    code: "flash/verify-failed",
    kind: "device",
    meaning: "The MD5 of a written region on the chip does not match the file.",
    hint: "Try again at a lower --baud; if it persists, the flash may be faulty or underpowered.",
  },
  {
    code: "flash/size-unknown",
    kind: "note",
    meaning: "The flash chip's JEDEC id names no known size; 4 MB is assumed.",
    hint: "Give --flash-size when the board's size is known.",
  },
  {
    code: "read/timeout",
    kind: "device",
    meaning: "The board stopped sending during a flash read.",
    hint: "Check the cable and try again, or use a lower --baud.",
  },
  {
    code: "read/corrupt",
    kind: "device",
    meaning: "A data packet of a flash read had the wrong length.",
    hint: "Check the cable and try again, or use a lower --baud.",
  },
  {
    code: "read/unsteady",
    kind: "device",
    meaning:
      "Two reads of the same flash bytes through the SPI registers (the ROM loader has no read command) differed: a register reply was damaged on the line.",
    hint: "Check the cable and try again, or use a lower --baud.",
  },
  {
    code: "read/md5-mismatch",
    kind: "device",
    meaning: "The data of a flash read does not match the MD5 the stub computed.",
    hint: "Check the cable and try again, or use a lower --baud.",
  },
  {
    code: "after/no-modem-lines",
    kind: "note",
    meaning: "The port has no DTR/RTS lines, so the board cannot be reset into its new firmware.",
    hint: "Press RESET on the board.",
  },
  {
    code: "after/soft-reset-unsupported",
    kind: "note",
    meaning: "esp-flasher-stub cannot start the firmware itself; a hard reset is used instead.",
    hint: "Nothing to do.",
  },
  {
    code: "rom/limits",
    kind: "note",
    meaning:
      "Writing through the ROM loader: no compression, no fast reflash, no MD5 verification, no baud change.",
    hint: "Drop --no-stub for the fast, verified path.",
  },
  {
    code: "rom/preserve-sector",
    kind: "note",
    meaning:
      "The ROM's erase bug would erase more than asked; the extra sectors are read and written back.",
    hint: "Nothing to do.",
  },
  {
    code: "tcp/no-baud-change",
    kind: "note",
    meaning:
      "A raw TCP port cannot change the serial line's speed, so the job stays at the current baud rate.",
    hint: "Use rfc2217:// (ser2net) to change the baud rate remotely.",
  },
  {
    code: "erase/lua-files-lost",
    kind: "warning",
    meaning: "--erase all erases the whole flash, NodeMCU's file system with it.",
    hint: "Back up the Lua files first (nodeflash backup) if you need them.",
  },
  {
    code: "flash/size-mismatch",
    kind: "warning",
    meaning: "The flash size given differs from the size the chip reports; the given one is used.",
    hint: "Check --flash-size: --flash-size detect uses the chip's size.",
  },
  {
    code: "flash/size-exceeds-chip",
    kind: "user",
    meaning:
      "The flash size given is larger than the chip's, so the SDK would look for its data past the end of the flash.",
    hint: "Use --flash-size detect (or the chip's size); flash --force writes it anyway.",
  },
  {
    code: "stub/package-unreadable",
    kind: "user",
    meaning:
      "The flasher stub cannot be loaded from the pinned esptool-js package: Deno's copy is missing, unreadable or damaged.",
    hint:
      "Run deno clean (or delete esptool-js under DENO_DIR/npm) so it is downloaded again, and allow reading it (-A); --no-stub works without it.",
  },
];
