/**
 * The simulated ESP8266 (`@x/nodeflash/sim`): a board that behaves like a real one on the wire,
 * for tests and for trying nodeflash without hardware.
 *
 * - {@link SimBoard}: a NodeMCU devkit (ROM download mode, flasher stubs, NOR flash, eFuses,
 *   UART, SPI registers, the DTR/RTS reset circuit, the ROM's boot messages, NodeMCU's console
 *   with a real Lua REPL, a time model and fault injection) with an inspection API (flash
 *   contents, erase/program counts, command log, timing, buttons, power cycle);
 * - {@link openSimTransport}: `sim://[?flash-size=…&reset=…&realtime&faults=…]` ports
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
 * assert.equal(port.board.state, "halted"); // a devkit booted its (erased) flash: ets_main.c
 * assert.equal(port.board.flash.isBlank(0, 0x1000), true);
 * await port.close();
 * ```
 *
 * @module
 */

export { SAVE_DELAY_MS, SimBoard } from "./board.ts";
export type { BoardOptions, BootMode, ModuleName, ResolvedBoardOptions } from "./board_options.ts";
export { DEFAULT_RC_DELAY_MS, resolveBoardOptions } from "./board_options.ts";
export type { BoardState, SimEvent, SimEventListener } from "./sim_event.ts";
export type { ResetRecord } from "./device.ts";
export type { ResetWiring } from "./reset_circuit.ts";
export {
  type Arrival,
  DEFAULT_TIMING,
  type FlashOperation,
  type JobTiming,
  type SimPace,
  type TimeCounters,
  type TimeMark,
  TimeModel,
  type TimingParams,
  wireUs,
} from "./time_model.ts";
export { FAULT_NAMES, type FaultSpec, parseFaults } from "./faults.ts";
export { garbleBaud } from "./uart_garble.ts";
export {
  type FlashBootLog,
  type FlashReader,
  romFlashBoot,
  romHeader,
  type RomResetCause,
} from "./rom_boot_log.ts";
export type { FlashMode } from "../chip/flash_size.ts";
export type { NodemcuBanner } from "../image/find_nodemcu_banner.ts";
export type { NodemcuBannerFields } from "../image/nodemcu_banner.ts";
export { NodemcuProgram } from "./nodemcu_program.ts";
export {
  type ReplayBoot,
  ReplayFirmware,
  replayFirmware,
  type ReplayScript,
  type ReplayStep,
} from "./replay_firmware.ts";
export type { NodemcuImage } from "./nodemcu_image.ts";
export type { LuaFrontEnd } from "./nodemcu_front_end.ts";
export type { LuaMainHelpers } from "./nodemcu_lua_main.ts";
export type { NodemcuRuntime, RuntimeOptions } from "./nodemcu_runtime.ts";
export type {
  ConsoleEvent,
  ConsoleHooks,
  NodemcuConsole,
  ReceiveSetup,
} from "./nodemcu_console.ts";
export type { TaskLoop, TaskLoopInput, TaskPriority, TaskTimer } from "./nodemcu_tasks.ts";
export type {
  LuaCallOptions,
  LuaFunction,
  LuaFunctionRef,
  LuaLoad,
  LuaOutcome,
  LuaRef,
  LuaTable,
  LuaValue,
  LuaVersion,
  LuaVm,
  LuaVmOptions,
} from "./lua_vm.ts";
export { SimFs } from "./sim_fs.ts";
export { ConsoleTap, flashImage } from "./console_tap.ts";
export type { CommandRecord, LoaderName } from "./command_log.ts";
export { CommandLog } from "./command_log.ts";
export { InstantClock, type SimClock } from "./clock.ts";
export type { BoardProgram, Device } from "./device.ts";
export type { ChipKind, EfuseWords } from "./efuse.ts";
export { type FlashStats, NorFlash } from "./nor_flash.ts";
export { AddressSpace, type RegisterWrite } from "./address_space.ts";
export { SpiFlashChip, type SpiFlashChipOptions } from "./spi_flash_chip.ts";
export { garbleMismatch, type MismatchHandler, SimUart, type UartOptions } from "./uart.ts";
export type { Ram, RamRegion } from "./ram.ts";
export type { LinkPeer, MemoryLink } from "../transport/memory.ts";
export type { Signals, Transport, TransportInfo, UsbInfo } from "../transport/types.ts";
export { KNOWN_STUBS, type KnownStub, type SegmentPrint } from "./stub_table.ts";
export type { StubFamily } from "./stub_dialect.ts";
export { type OpenSimOptions, openSimTransport, type SimTransport } from "./open_sim_transport.ts";
export { parseSimUrl, SIM_URL_KEYS, simOption } from "./sim_url.ts";
export { connectSimLink, type SimLinkOptions } from "./sim_link.ts";
export {
  type SimServer,
  type SimServerKind,
  type SimServerOptions,
  startSimServer,
} from "./sim_server.ts";
