/**
 * The simulated ESP8266 (`@x/nodeflash/sim`): a board that behaves like a real one on the wire,
 * for tests and for trying nodeflash without hardware.
 *
 * - {@link SimBoard}: the board (ROM download mode, flasher stubs, NOR flash, eFuses, UART,
 *   SPI registers) with an inspection API (flash contents, erase/program counts, command log);
 * - {@link openSimTransport}: `sim://[?flash-size=…&chip=…&mac=…&flash-file=…&seed=…]` ports
 *   (see README.md for the keys); mod.ts registers it for the `sim:` scheme;
 * - {@link startSimServer}: the board behind an RFC 2217 server, a raw TCP server or a pty, so
 *   other programs (esptool, a terminal) can use it.
 *
 * @example Flash through a sim:// port and look at the flash
 * ```ts
 * import { openSimTransport } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const port = await openSimTransport("sim://?flash-size=1MB");
 * assert.equal(port.board.options.flashSizeName, "1MB");
 * assert.equal(port.board.flash.isBlank(0, 0x1000), true);
 * await port.close();
 * ```
 *
 * @module
 */

export { SAVE_DELAY_MS, SimBoard } from "./board.ts";
export type { BoardOptions, BootMode, ModuleName, ResolvedBoardOptions } from "./board_options.ts";
export { resolveBoardOptions } from "./board_options.ts";
export type { BoardState, SimEvent, SimEventListener } from "./sim_event.ts";
export type { CommandRecord, LoaderName } from "./command_log.ts";
export { CommandLog } from "./command_log.ts";
export { InstantClock, type SimClock } from "./clock.ts";
export type { BoardProgram, Device } from "./device.ts";
export type { ChipKind, EfuseWords } from "./efuse.ts";
export { type FlashStats, NorFlash } from "./nor_flash.ts";
export { AddressSpace, type RegisterWrite } from "./address_space.ts";
export { SpiFlashChip, type SpiFlashChipOptions } from "./spi_flash_chip.ts";
export { type MismatchHandler, SimUart, type UartOptions } from "./uart.ts";
export type { Ram, RamRegion } from "./ram.ts";
export type { LinkPeer, MemoryLink } from "../transport/memory.ts";
export type { Signals, Transport, TransportInfo, UsbInfo } from "../transport/types.ts";
export { KNOWN_STUBS, type KnownStub, type SegmentPrint } from "./stub_table.ts";
export type { StubFamily } from "./stub_dialect.ts";
export { type OpenSimOptions, openSimTransport, type SimTransport } from "./open_sim_transport.ts";
export { parseSimUrl, SIM_URL_KEYS } from "./sim_url.ts";
export { connectSimLink, type SimLinkOptions } from "./sim_link.ts";
export {
  type SimServer,
  type SimServerKind,
  type SimServerOptions,
  startSimServer,
} from "./sim_server.ts";
