/**
 * The running NodeMCU Lua environment, wired as the firmware wires it: the UART's receive ring
 * (nodemcu_rx.ts) filled as bytes arrive, the input task draining it through the console's line
 * discipline (nodemcu_console.ts), lines going to the interpreter (nodemcu_repl.ts) through the
 * stdin pipe on the pipe front end (nodemcu_front_end.ts: one line per low-priority task, so
 * timers and posted tasks run between lines) or directly on the readline one (the next line
 * waits in the ring while one runs), all inside the SDK's task loop (nodemcu_tasks.ts). Lua
 * callbacks (`uart.on`, `tmr`, `node.task.post`) run as tasks; an error in one is reported as
 * the firmware does (from June 2020: the traceback to `node.setonerror`'s handler, by default
 * printed and a restart 2 s later; before: `PANIC: unprotected error in call to Lua API (…)` and
 * a restart).
 *
 * Output blocks as on the chip: the UART's transmit FIFO holds 128 bytes, so printing more than
 * that (or echoing a backlog) keeps the CPU busy for the wire time of the rest, while input keeps
 * arriving.
 *
 * @module
 */

import { latin1 } from "./chip_start.ts";
import type { Device } from "./device.ts";
import type { LuaFunctionRef, LuaValue, LuaVm } from "./lua_vm.ts";
import {
  type ConsoleEvent,
  consoleText,
  NodemcuConsole,
  type ReceiveSetup,
} from "./nodemcu_console.ts";
import type { NodemcuImage } from "./nodemcu_image.ts";
import {
  type LuaErrorValue,
  type LuaMainHelpers,
  luaMainHelpers,
  panicText,
} from "./nodemcu_lua_main.ts";
import { NodemcuRepl } from "./nodemcu_repl.ts";
import { RxRing } from "./nodemcu_rx.ts";
import { TaskLoop, type TaskPriority } from "./nodemcu_tasks.ts";
import type { Arrival } from "./time_model.ts";

/** The UART's transmit FIFO. */
const TX_FIFO = 128;
/** The default error handler restarts the chip this long after the first error, ms. */
const ERROR_RESTART_MS = 2000;

/** What the runtime needs from the firmware program. */
export interface RuntimeOptions {
  /** The hardware. */
  device: Device;
  /** What the firmware knows about itself. */
  image: NodemcuImage;
  /** The VM (its `print` should call {@link NodemcuRuntime.print}). */
  vm: LuaVm;
  /**
   * Restarts the chip (after what was printed has gone out).
   *
   * @param kind a software restart or the watchdog
   */
  restart(kind: "software" | "watchdog"): void;
  /**
   * Asked after each line and callback: true when the firmware has taken over (an LFS reload
   * that never returns); the runtime then stops.
   */
  interrupted?(): boolean;
}

/**
 * The runtime.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import { ConsoleTap, flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const flashContents = flashImage(1 << 20, buildNodemcuFirmware({ totalSize: 0x20000, flashSize: "1MB" }).combined);
 * const board = new SimBoard({ flashSize: "1MB", flashContents });
 * const tap = new ConsoleTap(board);
 * await tap.until("\r\n> ");
 * tap.clear();
 * tap.type("node.task.post(function() print('later') end) print('now')\r\n");
 * assert.match(await tap.until("later\r\n"), /now\r\n> later\r\n$/);
 * await board.close();
 * ```
 */
export class NodemcuRuntime {
  /** The console's input side (echo, `uart.on`). */
  readonly console: NodemcuConsole;
  /** The task loop. */
  readonly loop: TaskLoop;
  readonly #o: RuntimeOptions;
  readonly #d: Device;
  readonly #ring = new RxRing();
  readonly #repl: NodemcuRepl;
  readonly #helpers: LuaMainHelpers;
  readonly #pipe: boolean;
  #stdin = "";
  #readerPosted = false;
  #receiver: LuaFunctionRef | undefined;
  #onError: LuaFunctionRef | undefined;
  #errorRestartArmed = false;
  #restartRequested = false;
  #txFreeUs = 0;
  #pendingUs = 0;
  #stopped = false;

  /**
   * Wires the runtime (the task loop starts with {@link start}).
   *
   * @param options device, image, VM, restart
   */
  constructor(options: RuntimeOptions) {
    this.#o = options;
    this.#d = options.device;
    const frontEnd = options.image.frontEnd;
    this.#helpers = luaMainHelpers(options.vm, frontEnd);
    this.#pipe = frontEnd.console === "pipe";
    // input.c came with the pipe front end; before it, lua.c's readline drove the console
    const era = this.#pipe ? "3.x" : "2.x";
    this.console = new NodemcuConsole({ send: (text) => this.print(text) }, { era });
    this.#repl = new NodemcuRepl({
      vm: options.vm,
      frontEnd,
      console: this.#helpers.console,
      print: (text) => this.print(text),
      interrupted: () => this.#o.interrupted?.() ?? false,
    });
    this.loop = new TaskLoop(this.#d, {
      ready: () => (this.#advance(), this.#ring.available > 0),
      handle: () => this.#handleInput(),
      next: () => this.#ring.nextArrival,
      settle: () => this.#settle(),
    });
  }

  /** Bytes lost to receive overruns so far. */
  get droppedBytes(): number {
    return this.#ring.dropped;
  }

  /** The interpreter's prompt now. */
  prompt(): string {
    return this.#repl.prompt();
  }

  /** The helpers lua.c's code runs Lua with (for `init.lua`). */
  get helpers(): LuaMainHelpers {
    return this.#helpers;
  }

  /**
   * Lua is up: the first prompt (pipe front end: a queued dummy line, so it comes after what
   * `init.lua` posted; readline: at once) and the task loop.
   */
  start(): void {
    if (this.#pipe) this.input(" \n");
    else this.print(this.prompt());
    this.loop.start();
  }

  /**
   * Bytes from the host (already through the UART): into the receive ring, stamped.
   *
   * @param bytes what arrived
   */
  receive(bytes: Uint8Array): void {
    if (this.#stopped) return;
    const d = this.#d;
    const arrival: Arrival = d.arrival();
    const baud = d.uart.hostBaud ?? d.uart.boardBaud;
    this.#ring.push(bytes, arrival, 1e7 / baud);
    this.loop.wake();
  }

  /** Resolves when nothing is left to do but wait for timers. */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** The chip resets: everything stops. */
  stop(): void {
    this.#stopped = true;
    this.loop.stop();
    this.#ring.clear();
  }

  /**
   * Console output (what `print` and the firmware's messages use): `\n` as `\r\n`.
   *
   * @param text one character per byte
   */
  print(text: string): void {
    this.write(consoleText(text));
  }

  /**
   * Raw bytes to the UART (`uart.write`). The CPU waits while the transmit FIFO is full.
   *
   * @param bytes one character per byte
   */
  write(bytes: string): void {
    if (this.#stopped || bytes.length === 0) return;
    const d = this.#d;
    const byteUs = 1e7 / d.uart.boardBaud;
    const now = this.now();
    this.#txFreeUs = Math.max(now, this.#txFreeUs) + bytes.length * byteUs;
    const over = this.#txFreeUs - now - TX_FIFO * byteUs;
    if (over > 0) this.work(over);
    d.send(latin1(bytes));
  }

  /**
   * CPU work the running code does now (instructions, busy waits, waiting on the UART); it
   * passes on the board's clock when the task ends.
   *
   * @param us microseconds
   */
  work(us: number): void {
    if (!(us > 0)) return;
    this.#d.work(us);
    this.#pendingUs += us;
  }

  /** The board's clock as the running code sees it: with the work it has done so far (µs). */
  now(): number {
    return this.#d.clock.now() + this.#pendingUs;
  }

  /**
   * Text for the interpreter's stdin pipe (`node.input`; on 2.x run as the next line).
   *
   * @param text lines (3.x runs each `\n`-terminated one)
   */
  input(text: string): void {
    if (!this.#pipe) {
      this.loop.post(1, () => this.#dojob(text.replace(/\r?\n$/, "")));
      return;
    }
    this.#stdin += text;
    this.#postReader();
  }

  /**
   * Runs a Lua callback now; an error in it goes to the error handler.
   *
   * @param fn the callback
   * @param args its arguments
   * @returns whether it ran without error
   */
  invoke(fn: LuaFunctionRef, ...args: LuaValue[]): boolean {
    if (this.#stopped) return false;
    const onerror = this.#o.image.frontEnd.callbackErrors === "onerror";
    const helper = onerror ? this.#helpers.callback : this.#helpers.plain;
    const outcome = this.#o.vm.call(helper, fn, ...args);
    if (outcome.kind === "watchdog") return this.#restart("watchdog"), false;
    let error: LuaErrorValue | "none" | undefined;
    if (outcome.kind === "error") error = { type: "string", text: outcome.message };
    else if (outcome.kind === "ok" && outcome.results[0] !== "true") {
      const [, type = "nil", text = "nil"] = outcome.results;
      error = type === "none" ? "none" : { type, text };
    }
    if (this.#o.interrupted?.()) return this.stop(), false;
    if (error !== undefined) this.#callbackError(error);
    if (this.#restartRequested) this.#restart("software");
    return error === undefined;
  }

  /**
   * Posts a Lua callback as a task (`node.task.post`).
   *
   * @param priority 0 low, 1 medium, 2 high
   * @param fn the callback (released after it ran)
   * @param args its arguments
   */
  post(priority: TaskPriority, fn: LuaFunctionRef, ...args: LuaValue[]): void {
    this.loop.post(priority, () => {
      this.invoke(fn, ...args);
      this.#o.vm.release(fn);
    });
  }

  /**
   * The `uart.on("data")` callback and its setup; `undefined` restores the plain REPL.
   *
   * @param fn the callback
   * @param setup how data is cut
   */
  setReceiver(fn: LuaFunctionRef | undefined, setup?: ReceiveSetup): void {
    if (this.#receiver !== undefined && this.#receiver.id !== fn?.id) {
      this.#o.vm.release(this.#receiver);
    }
    this.#receiver = fn;
    this.console.setReceive(fn === undefined ? undefined : setup);
  }

  /**
   * `node.setonerror`: the handler for errors in callbacks (`undefined`: print and restart).
   *
   * @param fn the handler
   */
  setOnError(fn: LuaFunctionRef | undefined): void {
    if (this.#onError !== undefined) this.#o.vm.release(this.#onError);
    this.#onError = fn;
  }

  /** `node.restart()`: the chip restarts once the current task has finished. */
  requestRestart(): void {
    this.#restartRequested = true;
  }

  /** Whether `node.restart()` was called (the firmware restarts after `init.lua`). */
  get restartRequested(): boolean {
    return this.#restartRequested;
  }

  #advance(): void {
    const d = this.#d;
    if (d.options.pace === "realtime") {
      const now = performance.now();
      this.#ring.advance((at) => at.realMs === undefined || at.realMs <= now);
    } else {
      const now = d.clock.now();
      this.#ring.advance((at) => at.modelUs <= now);
    }
  }

  async #settle(): Promise<void> {
    await this.#d.settle();
    this.#pendingUs = 0;
  }

  /** The input task: drains the ring (bytes keep arriving while callbacks run). */
  async #handleInput(): Promise<void> {
    for (;;) {
      this.#advance();
      const b = this.#ring.take();
      if (b === undefined) break;
      for (const event of this.console.byte(b)) await this.#event(event);
      if (this.#stopped) return;
      if (this.#pendingUs > 0) await this.#settle();
    }
    for (const event of this.console.drained()) await this.#event(event);
    await this.#settle();
  }

  async #event(event: ConsoleEvent): Promise<void> {
    if (event.kind === "empty") return this.print(this.prompt());
    if (event.kind === "data") {
      if (this.#receiver !== undefined) this.invoke(this.#receiver, event.text);
      return this.#settle();
    }
    if (this.#pipe) return this.input(`${event.text}\n`);
    this.#dojob(event.text);
    await this.#settle();
  }

  #postReader(): void {
    if (this.#readerPosted) return;
    this.#readerPosted = true;
    this.loop.post(0, () => {
      this.#readerPosted = false;
      const end = this.#stdin.indexOf("\n");
      if (end < 0) return;
      const line = this.#stdin.slice(0, end);
      this.#stdin = this.#stdin.slice(end + 1);
      this.#dojob(line);
      if (this.#stdin.includes("\n")) this.#postReader();
    });
  }

  #dojob(line: string): void {
    if (this.#stopped) return;
    const result = this.#repl.run(line);
    if (this.#o.interrupted?.()) return this.stop();
    if (result === "watchdog") return this.#restart("watchdog");
    if (this.#restartRequested) return this.#restart("software");
    this.print(this.prompt());
  }

  #callbackError(error: LuaErrorValue | "none"): void {
    if (error === "none") return; // luaL_pcallx had no traceback function: nothing is reported
    if (this.#o.image.frontEnd.callbackErrors === "panic") {
      this.print(`PANIC: unprotected error in call to Lua API (${panicText(error)})\n`);
      return this.#restart("software");
    }
    const text = error.text;
    this.loop.post(2, () => {
      const handler = this.#onError;
      if (handler !== undefined) {
        // errhandler_aux, a C function posted as a task, calls the handler
        const outcome = this.#o.vm.callWith(handler, [text], { below: 1 });
        if (outcome.kind === "watchdog") this.#restart("watchdog");
        else if (outcome.kind === "error") this.print(`${outcome.message}\n`);
        return;
      }
      this.print(`${text}\n`);
      if (this.#errorRestartArmed) return;
      this.#errorRestartArmed = true;
      this.loop.timer(ERROR_RESTART_MS, () => this.#restart("software"));
    });
  }

  #restart(kind: "software" | "watchdog"): void {
    if (this.#stopped) return;
    this.stop();
    this.#o.restart(kind);
  }
}
