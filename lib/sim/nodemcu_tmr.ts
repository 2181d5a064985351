/**
 * NodeMCU's `tmr` module (`app/modules/tmr.c`) on the board's clock: `now()` (µs since boot,
 * 31 bits), `time()` (s), `delay(us)` (busy: the CPU does nothing else, input piles up in the
 * receive ring), `wdclr()`, `softwd(s)`, `ccount()`, and timer objects from `tmr.create()` with
 * `register(ms, mode, fn)`, `alarm(ms, mode, fn)`, `start([restart])`, `stop()`,
 * `unregister()`, `interval(ms)`, `state()`; modes `tmr.ALARM_SINGLE` (0), `ALARM_AUTO` (1),
 * `ALARM_SEMI` (2). A callback gets the timer object and runs as a task (nodemcu_tasks.ts).
 * 2.x firmware also has the seven static timers (`tmr.alarm(id, ms, mode, fn)`…).
 *
 * @module
 */

import {
  LuaArgError,
  type LuaFunction,
  type LuaFunctionRef,
  type LuaValue,
  type LuaVersion,
} from "./lua_vm.ts";
import {
  argError,
  checkInteger,
  isFunction,
  method,
  type NodemcuHost,
  runPrelude,
  table,
} from "./nodemcu_host.ts";
import type { TaskTimer } from "./nodemcu_tasks.ts";

/** The SDK's longest interval, ms. */
const MAX_TIMEOUT = 0x68d7a3;
const SINGLE = 0, AUTO = 1, SEMI = 2, OFF = 3;

/** One timer's state (`tmr_t`). */
class SimTimer {
  mode = OFF;
  idle = true;
  interval = 0;
  fn: LuaFunctionRef | undefined;
  #armed: TaskTimer | undefined;
  readonly #host: NodemcuHost;
  readonly #call: (fn: LuaFunctionRef) => void;

  /**
   * @param host the firmware's side
   * @param call runs the callback (with the timer object, if it has one)
   */
  constructor(host: NodemcuHost, call: (fn: LuaFunctionRef) => void) {
    this.#host = host;
    this.#call = call;
  }

  register(ms: LuaValue, mode: LuaValue, fn: LuaValue): void {
    const lua = this.#host.vm.version;
    const interval = checkInteger(ms, 1, { lua });
    const m = checkInteger(mode, 2, { lua });
    if (!(interval > 0 && interval <= MAX_TIMEOUT)) throw argError(1, `Range: 1-${MAX_TIMEOUT}`);
    if (m !== SINGLE && m !== SEMI && m !== AUTO) throw argError(2, "Invalid mode");
    if (!isFunction(fn)) throw argError(3, "Must be function");
    this.#disarm();
    if (this.fn !== undefined) this.#host.vm.release(this.fn);
    this.fn = fn;
    this.mode = m;
    this.idle = true;
    this.interval = interval;
  }

  start(restart: LuaValue): boolean {
    if (restart !== undefined && typeof restart !== "boolean") {
      throw argError(1, "boolean expected");
    }
    if (this.mode === OFF || (!this.idle && !restart)) return false;
    this.#disarm();
    this.idle = false;
    this.#arm();
    return true;
  }

  stop(): boolean {
    const wasIdle = this.mode === OFF || this.idle;
    this.#disarm();
    this.idle = true;
    return !wasIdle;
  }

  unregister(): void {
    this.#disarm();
    if (this.fn !== undefined) this.#host.vm.release(this.fn);
    this.fn = undefined;
    this.mode = OFF;
    this.idle = true;
  }

  setInterval(ms: LuaValue): void {
    const interval = checkInteger(ms, 1, { lua: this.#host.vm.version });
    if (!(interval > 0 && interval <= MAX_TIMEOUT)) throw argError(1, `Range: 1-${MAX_TIMEOUT}`);
    if (this.mode === OFF) return;
    this.interval = interval;
    if (!this.idle) {
      this.#disarm();
      this.#arm();
    }
  }

  state(): LuaValue[] {
    return this.mode === OFF ? [undefined] : [!this.idle, this.mode];
  }

  #arm(): void {
    const loop = this.#host.runtime.loop;
    this.#armed = loop.timer(this.interval, () => this.#fire(), { repeat: this.mode === AUTO });
  }

  #disarm(): void {
    this.#armed?.cancel();
    this.#armed = undefined;
  }

  #fire(): void {
    const fn = this.fn;
    if (fn === undefined) return;
    if (this.mode === SINGLE) {
      this.#armed = undefined;
      this.fn = undefined;
      this.mode = OFF;
      this.idle = true;
    } else if (this.mode === SEMI) {
      this.#armed = undefined;
      this.idle = true;
    }
    this.#call(fn);
    if (this.mode === OFF && this.fn === undefined) this.#host.vm.release(fn);
  }
}

/**
 * Installs `tmr`.
 *
 * @param host the firmware's side
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
 * tap.type("tmr.create():alarm(20, tmr.ALARM_SINGLE, function(t) print('fired', t:state()) end)\r\n");
 * assert.match(await tap.until("> fired"), /> fired\tnil/);
 * await board.close();
 * ```
 */
export function installTmr(host: NodemcuHost): void {
  const since = () => host.runtime.now() - host.bootedAtUs;
  const lua = host.vm.version;
  // A timer object is a table of closures; the callback gets the table itself, which the Lua
  // side hands over as a function returning it, and a Lua helper calls `fn(self())`.
  let withSelf: LuaFunctionRef | undefined;
  const create = (self: LuaValue): LuaValue => {
    const t = new SimTimer(host, (fn) => {
      if (withSelf !== undefined && isFunction(self)) host.runtime.invoke(withSelf, fn, self);
    });
    return timerObject(t);
  };
  const statics = Array.from(
    { length: 7 },
    () => new SimTimer(host, (fn) => host.runtime.invoke(fn)),
  );
  const module: Record<string, LuaValue> = {
    now: () => Math.floor(since()) & 0x7fffffff,
    time: () => Math.floor(since() / 1e6),
    delay: (us) => {
      const n = checkInteger(us, 1, { lua });
      if (!(n > 0)) throw argError(1, "wrong arg range");
      host.runtime.work(n);
      return [];
    },
    wdclr: () => [],
    softwd: (s) => (checkInteger(s, 1, { lua }), []),
    ccount: () => Math.floor(since() * 80) >>> 0,
    ALARM_SINGLE: SINGLE,
    ALARM_AUTO: AUTO,
    ALARM_SEMI: SEMI,
    __create: create,
    __hold: (fn) => ((withSelf = isFunction(fn) ? fn : undefined), []),
  };
  if (host.image.era === "2.x") Object.assign(module, staticTimers(statics, lua));
  host.vm.setGlobal("tmr", table(module));
  runPrelude(
    host.vm,
    `local create = tmr.__create
    tmr.__hold(function(f, self) f(self()) end)
    tmr.__create, tmr.__hold = nil, nil
    function tmr.create()
      local t
      t = create(function() return t end)
      return t
    end`,
  );
}

/** A timer object: its methods as closures. */
function timerObject(t: SimTimer): LuaValue {
  const fields: Record<string, LuaFunction> = {
    register: method((ms, mode, fn) => (t.register(ms, mode, fn), undefined)),
    alarm: method((ms, mode, fn) => (t.register(ms, mode, fn), t.start(undefined))),
    start: method((restart) => t.start(restart)),
    stop: method(() => t.stop()),
    unregister: method(() => (t.unregister(), undefined)),
    interval: method((ms) => (t.setInterval(ms), undefined)),
    state: method(() => t.state()),
  };
  return table(fields);
}

/** 2.x's static timers 0..6. */
function staticTimers(timers: SimTimer[], lua: LuaVersion): Record<string, LuaFunction> {
  const pick = (id: LuaValue) => {
    const t = timers[checkInteger(id, 1, { lua })];
    if (t === undefined) throw argError(1, "invalid timer index");
    return t;
  };
  // The id is argument 1: the timer's own checks count from after it.
  const after = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw error instanceof LuaArgError ? error.shifted(1) : error;
    }
  };
  return {
    alarm: (id, ms, mode, fn) => {
      const t = pick(id);
      after(() => t.register(ms, mode, fn));
      return t.start(undefined);
    },
    register: (id, ms, mode, fn) => (after(() => pick(id).register(ms, mode, fn)), []),
    start: (id) => pick(id).start(undefined),
    stop: (id) => pick(id).stop(),
    unregister: (id) => (pick(id).unregister(), []),
    interval: (id, ms) => (after(() => pick(id).setInterval(ms)), []),
    state: (id) => pick(id).state(),
  };
}
