/**
 * What the chip does when it leaves reset: the ROM prints its header at its boot rate, then
 * either serves the serial loader (GPIO0 low) or loads the image at 0x0 (GPIO0 high), printing
 * the segment lines, and jumps to the firmware, or gives up (`csum err`, `ets_main.c`).
 *
 * @module
 */

import type { FlashMode } from "../chip/flash_size.ts";
import type { BoardProgram, Device, ResetRecord } from "./device.ts";
import type { FaultInjector } from "./fault_injector.ts";
import { romFlashBoot, romHeader } from "./rom_boot_log.ts";
import { RomLoader } from "./rom_loader.ts";
import { SilentProgram } from "./silent_program.ts";

/**
 * UART_CLKDIV as the ROM sets it at reset: 115200 baud for an 80 MHz UART clock (a 40 MHz
 * crystal), which is 74880 baud on the usual 26 MHz crystal (docs/protocol.md §5.4).
 */
export const ROM_BOOT_DIVIDER = 694;

/** NodeMCU's console rate. */
export const CONSOLE_BAUD = 115200;

/**
 * With pace `instant`, how long (real time) the board waits at most for a host listening at
 * the ROM's rate to follow it to the console's: a host that never moves gets the console's
 * output garbled after this, as it would on a real board.
 */
export const FOLLOW_MAX_MS = 2000;

/** What starting the chip needs from the board. */
export interface ChipStartContext {
  /** The hardware. */
  device: Device;
  /** Faults (boot noise). */
  faults: FaultInjector;
  /** Makes the firmware program for a good image. */
  firmware(device: Device): BoardProgram;
  /**
   * Makes `program` the running one.
   *
   * @param program what runs now
   * @param detail why, for the state event
   */
  run(program: BoardProgram, detail: string): void;
}

const FLASH_MODE_NAMES: readonly FlashMode[] = ["qio", "qout", "dio", "dout"];

/**
 * The ROM's `boot mode:(x,y)`: x = 1 for download, 3 for flash boot; y (undocumented) is 7
 * after power-on and in download mode, 6 otherwise (a modelling choice; real logs show 0..7).
 *
 * @param reset the reset
 * @param options `gpio15High`: the strap that selects SDIO modes (x 4..7)
 * @returns `[x, y]`
 *
 * @example
 * ```ts
 * import { bootModeNumbers } from "./chip_start.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(bootModeNumbers({ cause: 2, kind: "external", mode: "flash" }), [3, 6]);
 * // GPIO15 high: SDIO modes
 * const sdio = bootModeNumbers({ cause: 2, kind: "external", mode: "download" }, { gpio15High: true });
 * assert.deepEqual(sdio, [5, 7]);
 * ```
 */
export function bootModeNumbers(
  reset: ResetRecord,
  options: { gpio15High?: boolean } = {},
): [number, number] {
  // x = GPIO15 * 4 + GPIO0 * 2 + GPIO2 (GPIO2 is pulled high on every module)
  const sdio = options.gpio15High ? 4 : 0;
  if (reset.mode === "download") return [sdio + 1, 7];
  return [sdio + 3, reset.kind === "power-on" ? 7 : 6];
}

/**
 * Starts the chip after a reset.
 *
 * @param ctx the board's parts
 * @param reset what reset it
 * @param options `header: false` for "run user code", which enters the ROM's flash boot
 *   directly
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { ConsoleTap } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" });
 * const rom = new ConsoleTap(board, { baud: 74880 });
 * board.reset({ mode: "flash" }); // startChip runs: header, then the ROM finds no image
 * assert.equal(rom.text, "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\nets_main.c ");
 * await board.close();
 * ```
 */
export function startChip(
  ctx: ChipStartContext,
  reset: ResetRecord,
  options: { header: boolean } = { header: true },
): void {
  const { device } = ctx;
  const uart = device.uart;
  uart.fixBaud();
  uart.setDivider(ROM_BOOT_DIVIDER);
  const gpio15High = device.options.gpio15High;
  if (options.header) {
    device.send(latin1(romHeader(reset.cause, bootModeNumbers(reset, { gpio15High }))));
  }
  if (gpio15High) {
    // SDIO boot: the ROM waits for an SDIO host and never listens on the UART
    device.send(latin1("waiting for host\r\n"));
    ctx.run(new SilentProgram("halted"), `${reset.kind} reset: SDIO mode (GPIO15 high)`);
    return;
  }
  if (reset.mode === "download") {
    const noise = ctx.faults.bootNoise();
    if (noise.length > 0) device.send(noise);
    // The header went out at the boot rate; from here on the loader follows the host's rate
    // (measured from what it sends; taken at once when the endpoint tells it, else esptool's
    // 115200 until the host speaks).
    uart.autobaud(uart.hostBaud ?? CONSOLE_BAUD);
    ctx.run(new RomLoader(device), `${reset.kind} reset: ROM download mode`);
    return;
  }
  const header = device.chip.romRead(0, 8);
  const mode = FLASH_MODE_NAMES[header[2]!];
  const modeWorks = mode !== undefined && device.options.flashModes.includes(mode);
  let read = 0;
  const log = romFlashBoot((address, length) => {
    read += length;
    return device.chip.romRead(address, length);
  }, { modeWorks });
  device.work(read * device.timing.readUsPerByte);
  device.send(latin1(log.text));
  if (log.result === "stop") {
    const why = header[0] !== 0xe9
      ? "no image at 0x0 (ets_main.c)"
      : modeWorks
      ? "the image at 0x0 fails its checksum (csum err)"
      : `the module cannot read flash mode ${mode ?? header[2]} (csum err)`;
    ctx.run(new SilentProgram("halted"), `${reset.kind} reset: ROM boot from flash: ${why}`);
    return;
  }
  ctx.run(
    ctx.firmware(device),
    `${reset.kind} reset: boot from flash, entry 0x${log.entry!.toString(16)}`,
  );
}

/**
 * The firmware's start-up until its console runs: what it prints while UART0 is still at the
 * ROM's rate, the time the start takes (on the board's clock; with pace `instant` a host
 * listening at the ROM's rate is also given the real time it needs to follow, see
 * `Device.hostFollows`), then UART0 at 115200.
 *
 * @param device the hardware
 * @param options text printed at the ROM's rate first; `stopped` says the program was stopped
 * @returns false when the program was stopped meanwhile
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { bootToConsole } from "./chip_start.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" });
 * assert.equal(await bootToConsole(board.device, { stopped: () => false }), true);
 * assert.equal(Math.round(board.uart.boardBaud / 100), 1153);
 * await board.close();
 * ```
 */
export async function bootToConsole(
  device: Device,
  options: { preInit?: string; stopped: () => boolean },
): Promise<boolean> {
  if (options.preInit !== undefined && options.preInit !== "") {
    device.send(latin1(options.preInit));
  }
  await device.clock.sleep(device.timing.bootMs * 1000);
  if (options.stopped()) return false;
  if (device.options.pace !== "realtime") {
    // the switch takes its time on the board's clock; a host listening at the ROM's rate is
    // given the real time it needs to follow (it answers at once in the modelled timeline)
    await device.clock.sleep(device.timing.consoleSwitchMs * 1000);
    await device.hostFollows(device.uart.boardBaud, FOLLOW_MAX_MS);
  }
  if (options.stopped()) return false;
  device.uart.setDivider(Math.round(device.uart.clockHz / CONSOLE_BAUD));
  return true;
}

/**
 * A firmware program given by the `app` hook, started once the console is up.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildImage } from "../testing/build_image.ts";
 * import { flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const image = buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(8) }] });
 * let started = 0;
 * const board = new SimBoard({
 *   flashContents: flashImage(4 << 20, image),
 *   app: () => (started++, { state: "app", receive() {}, idle: () => Promise.resolve(), stop() {} }),
 * });
 * await board.idle();
 * assert.equal(started, 1);
 * await board.close();
 * ```
 */
export class HookedFirmware implements BoardProgram {
  /** The board state. */
  readonly state = "app" as const;
  #inner: BoardProgram | undefined;
  #stopped = false;
  readonly #started: Promise<void>;

  /**
   * @param device the hardware
   * @param app makes the program
   */
  constructor(device: Device, app: (device: Device) => BoardProgram) {
    this.#started = bootToConsole(device, { stopped: () => this.#stopped }).then((up) => {
      if (up) this.#inner = app(device);
    });
  }

  /**
   * Bytes from the host; dropped until the program runs.
   *
   * @param bytes what arrived
   */
  receive(bytes: Uint8Array): void {
    this.#inner?.receive(bytes);
  }

  /** Resolves when the program runs and has handled its input. */
  async idle(): Promise<void> {
    await this.#started;
    await this.#inner?.idle();
  }

  /** Stops it. */
  stop(): void {
    this.#stopped = true;
    this.#inner?.stop();
  }
}

/**
 * Bytes of a text, one per character (the ROM and the firmware print 8-bit text).
 *
 * @param text the text
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { latin1 } from "./chip_start.ts";
 * if (latin1("ok")[1] !== 0x6b) throw new Error();
 * ```
 */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
