/**
 * Firmware that replays what a real board printed: a field transcript (docs/boot-log.md),
 * burst by burst, each at the rate the board sent it at (the SDK's lines at the ROM's rate,
 * NodeMCU's at 115200) through the board's UART, after the ROM's own messages. Then it does what
 * that board did: hangs, restarts (software or watchdog, and the next boot replays the script's
 * next boot), or keeps a console that echoes without running Lua, or one that ignores its input.
 *
 * It is the one way the tests show the smoke test and the monitor what real boards printed:
 * given to a {@link SimBoard} as its `firmware` hook, so the reset circuit, the ROM, the UART (and
 * its garbling at a wrong rate) and the time are the simulator's. For a board that reaches a Lua
 * prompt, the simulator's own NodeMCU runs instead (its banner is the image's).
 *
 * @module
 */

import { ROM_BOOT_DIVIDER } from "./chip_start.ts";
import type { BoardProgram, Device } from "./device.ts";
import { consoleText, NodemcuConsole } from "./nodemcu_console.ts";

/** One burst a board sent. */
export interface ReplayStep {
  /** Wait this long (real time, ms) after the previous burst or the ROM's messages. */
  delayMs: number;
  /** `rom`: the ROM's rate (74880 on a 26 MHz crystal); `console`: 115200; or a baud rate. */
  rate: "rom" | "console" | number;
  /** The text, one character per byte. */
  text: string;
}

/** What a board printed in one boot, and what it did after. */
export interface ReplayBoot {
  /** The bursts, in order. */
  steps: ReplayStep[];
  /**
   * `hang`: silent until the next reset; `restart`: a software restart (`rst cause:2`);
   * `watchdog`: the hardware watchdog resets it (`rst cause:4`); `echo`: NodeMCU's line
   * discipline without an interpreter (every line gets a fresh prompt); `deaf`: a console that
   * ignores its input.
   */
  then: "hang" | "restart" | "watchdog" | "echo" | "deaf";
}

/** The boots of a replayed board: boot 0 after the first reset into flash, then 1, 2... */
export type ReplayScript = (boot: number) => ReplayBoot;

/**
 * The `firmware` hook of a board that replays `script`, one boot after another.
 *
 * @param script what each boot printed
 * @returns the hook
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { ConsoleTap, flashImage } from "./console_tap.ts";
 * import { replayFirmware } from "./replay_firmware.ts";
 * import { buildImage } from "../testing/build_image.ts";
 * import assert from "node:assert/strict";
 * const image = buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(8) }] });
 * const board = new SimBoard({
 *   flashContents: flashImage(4 << 20, image),
 *   firmware: replayFirmware(() => ({
 *     steps: [{ delayMs: 0, rate: "console", text: "PANIC: unprotected error\r\n" }],
 *     then: "hang",
 *   })),
 * });
 * const tap = new ConsoleTap(board, { baud: 115200 });
 * board.reset({ mode: "flash" });
 * assert.match(await tap.until("PANIC"), /PANIC: unprotected error/);
 * await board.close();
 * ```
 */
export function replayFirmware(script: ReplayScript): (device: Device) => BoardProgram {
  let boot = 0;
  return (device) => new ReplayFirmware(device, script(boot++));
}

/** One boot of a replayed board. */
export class ReplayFirmware implements BoardProgram {
  /** The board state. */
  readonly state = "app" as const;
  readonly #device: Device;
  readonly #played: Promise<void>;
  #console: NodemcuConsole | undefined;
  #stopped = false;

  /**
   * Starts replaying (the ROM has just loaded the image).
   *
   * @param device the hardware
   * @param boot what to print, and what to do then
   */
  constructor(device: Device, boot: ReplayBoot) {
    this.#device = device;
    this.#played = this.#play(boot).catch((error) => device.emit({ type: "fault", error }));
  }

  async #play(boot: ReplayBoot): Promise<void> {
    const d = this.#device;
    for (const step of boot.steps) {
      if (step.delayMs > 0) await d.pause(step.delayMs);
      if (this.#stopped) return;
      const baud = step.rate === "console" ? 115200 : step.rate;
      d.uart.setDivider(baud === "rom" ? ROM_BOOT_DIVIDER : Math.round(d.uart.clockHz / baud));
      d.send(Uint8Array.from(step.text, (c) => c.charCodeAt(0) & 0xff));
    }
    await d.settle();
    if (this.#stopped) return;
    if (boot.then === "restart") d.softReset();
    else if (boot.then === "watchdog") d.watchdogReset();
    else if (boot.then === "echo") {
      // The console talks at the last burst's rate; with none, at NodeMCU's 115200.
      if (boot.steps.length === 0) d.uart.setDivider(Math.round(d.uart.clockHz / 115200));
      this.#console = new NodemcuConsole({ send: (text) => this.#send(text) }, { era: "3.x" });
    }
  }

  /**
   * Bytes from the host: echoed by an `echo` console once the replay is over; before that, and
   * by the other endings, ignored (as NodeMCU ignores input before its prompt).
   *
   * @param bytes what arrived
   */
  receive(bytes: Uint8Array): void {
    const console = this.#console;
    if (console === undefined || this.#stopped) return;
    // Every line, empty or not, gets a fresh prompt; nothing is ever run.
    for (const b of bytes) if (console.byte(b).length > 0) this.#send("> ");
  }

  #send(text: string): void {
    this.#device.send(Uint8Array.from(consoleText(text), (c) => c.charCodeAt(0) & 0xff));
  }

  /** Resolves when the replay and every line received have been handled. */
  async idle(): Promise<void> {
    await this.#played;
  }

  /** The chip resets: the replay stops. */
  stop(): void {
    this.#stopped = true;
  }
}
