/**
 * The ESP8266 SDK's task loop as NodeMCU uses it, on the board's clock: one thing runs at a time
 * and nothing pre-empts it (only the UART's interrupt, which fills the receive ring: see
 * nodemcu_rx.ts). Between tasks the loop picks, in order: the input task (bytes in the receive
 * ring), a due timer (SDK software timers: `tmr` alarms, delayed restarts), then posted tasks by
 * priority (high, medium, low; first in, first out within one; the REPL's stdin reader is a low
 * one). With nothing to do it waits for the next byte or timer.
 *
 * Time: with pace `instant` a task's work passes on the board's clock without waiting and a byte
 * arrives when the time model says (the clock jumps there); an armed timer, though, waits its
 * interval in real time too (anchored when it is armed), so a periodic timer ticks as on a board
 * rather than spinning, and fires early only when the board's clock passes it (busy work, or a
 * burst of input that lasts longer). With pace `realtime` everything is real time.
 *
 * @module
 */

import type { Device } from "./device.ts";
import type { Arrival } from "./time_model.ts";

/** Task priorities (`node.task.LOW_PRIORITY` … `HIGH_PRIORITY`). */
export type TaskPriority = 0 | 1 | 2;

/** An armed timer. */
export interface TaskTimer {
  /** Disarms it (no effect once a one-shot has fired). */
  cancel(): void;
}

/** What the loop runs besides tasks and timers. */
export interface TaskLoopInput {
  /** Moves arrived bytes into the ring; true when there are bytes to handle. */
  ready(): boolean;
  /** The input task: drains the ring (may run Lua). */
  handle(): Promise<void>;
  /** When the next byte not yet arrived arrives. */
  next(): Arrival | undefined;
  /** Lets a task's work pass on the board's clock (the device's `settle` by default). */
  settle?(): Promise<void>;
}

interface Timer {
  dueUs: number;
  realDueMs: number;
  periodUs: number;
  fire: () => Promise<void> | void;
  armed: boolean;
  order: number;
}

/**
 * The loop.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { TaskLoop } from "./nodemcu_tasks.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ bootMode: "download" });
 * const ran: string[] = [];
 * const loop = new TaskLoop(board.device, { ready: () => false, handle: async () => {}, next: () => undefined });
 * loop.post(0, () => void ran.push("low"));
 * loop.post(2, () => void ran.push("high"));
 * loop.start();
 * await loop.idle();
 * assert.deepEqual(ran, ["high", "low"]);
 * loop.stop();
 * await board.close();
 * ```
 */
export class TaskLoop {
  readonly #d: Device;
  readonly #input: TaskLoopInput;
  readonly #queues: Array<Array<() => Promise<void> | void>> = [[], [], []];
  readonly #timers = new Set<Timer>();
  #order = 0;
  #running = false;
  #stopped = false;
  #wake: (() => void) | undefined;
  #parked = true;
  #idleWaiters: Array<() => void> = [];

  /**
   * Creates the loop (it runs once {@link start}ed).
   *
   * @param device the hardware (clock, time model)
   * @param input the receive side
   */
  constructor(device: Device, input: TaskLoopInput) {
    this.#d = device;
    this.#input = input;
  }

  /** Starts the loop (once). */
  start(): void {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.#run().catch((error) => this.#d.emit({ type: "fault", error }));
  }

  /** Stops it: queued tasks and timers are dropped. */
  stop(): void {
    this.#stopped = true;
    for (const q of this.#queues) q.length = 0;
    this.#timers.clear();
    this.#wakeUp(false);
    this.#settleIdle();
  }

  /**
   * Posts a task.
   *
   * @param priority 0 low, 1 medium, 2 high
   * @param task what to run
   */
  post(priority: TaskPriority, task: () => Promise<void> | void): void {
    if (this.#stopped) return;
    this.#queues[priority]!.push(task);
    this.#wakeUp(true);
  }

  /**
   * Arms a timer on the board's clock.
   *
   * @param ms delay in milliseconds
   * @param fire what runs when it is due
   * @param options `repeat`: fire every `ms` (re-armed from its due time, as the SDK does)
   * @returns a handle to cancel it
   */
  timer(
    ms: number,
    fire: () => Promise<void> | void,
    options: { repeat?: boolean } = {},
  ): TaskTimer {
    const t: Timer = {
      dueUs: this.#d.clock.now() + ms * 1000,
      realDueMs: performance.now() + ms,
      periodUs: options.repeat ? ms * 1000 : 0,
      fire,
      armed: true,
      order: this.#order++,
    };
    if (!this.#stopped) this.#timers.add(t);
    this.#wakeUp(false);
    return { cancel: () => (t.armed = false, this.#timers.delete(t)) };
  }

  /** Something arrived (bytes from the host): look again. */
  wake(): void {
    this.#wakeUp(true);
  }

  /** Resolves when nothing is left to do but wait for timers. */
  idle(): Promise<void> {
    if (this.#parked || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (this.#input.ready()) {
        this.#parked = false;
        await this.#input.handle();
        continue;
      }
      const timer = this.#dueTimer();
      if (timer !== undefined) {
        this.#parked = false;
        await this.#fire(timer);
        continue;
      }
      const task = this.#queues[2]!.shift() ?? this.#queues[1]!.shift() ?? this.#queues[0]!.shift();
      if (task !== undefined) {
        this.#parked = false;
        await task();
        await this.#settle();
        continue;
      }
      await this.#waitForWork();
    }
  }

  #dueTimer(): Timer | undefined {
    const now = this.#d.clock.now();
    const realNow = performance.now();
    const instant = this.#d.options.pace !== "realtime";
    let best: Timer | undefined;
    for (const t of this.#timers) {
      const due = t.dueUs <= now || (instant && t.realDueMs <= realNow);
      if (
        due &&
        (best === undefined || t.dueUs < best.dueUs ||
          (t.dueUs === best.dueUs && t.order < best.order))
      ) {
        best = t;
      }
    }
    return best;
  }

  async #fire(t: Timer): Promise<void> {
    await this.#d.waitFor({ modelUs: t.dueUs });
    if (t.periodUs > 0) {
      t.dueUs += t.periodUs;
      t.realDueMs += t.periodUs / 1000;
    } else this.#timers.delete(t);
    await t.fire();
    await this.#settle();
  }

  /** Nothing to do now: jump to the next byte, or wait for a timer or a wake-up. */
  async #waitForWork(): Promise<void> {
    const d = this.#d;
    const arrival = this.#input.next();
    const timer = [...this.#timers].reduce<Timer | undefined>(
      (a, t) => (a === undefined || t.dueUs < a.dueUs ? t : a),
      undefined,
    );
    if (arrival !== undefined) {
      if (d.options.pace === "realtime") return d.waitFor(arrival);
      // Instant: the clock jumps to the byte, or to a timer due before it.
      if (timer !== undefined && timer.dueUs < arrival.modelUs) {
        return d.waitFor({ modelUs: timer.dueUs });
      }
      return d.waitFor(arrival);
    }
    this.#parked = true;
    this.#settleIdle();
    const woken = new Promise<void>((resolve) => (this.#wake = resolve));
    if (timer === undefined) return woken;
    const ms = Math.max(
      1,
      d.options.pace === "realtime"
        ? (timer.dueUs - d.clock.now()) / 1000
        : timer.realDueMs - performance.now(),
    );
    const started = performance.now();
    const how = await Promise.race([woken.then(() => "woken"), d.pause(ms).then(() => "slept")]);
    // A pause cut short means the board is closing: wait for the stop instead of spinning.
    if (how === "slept" && performance.now() - started < ms - 1) await woken;
  }

  #settle(): Promise<void> {
    return this.#input.settle?.() ?? this.#d.settle();
  }

  #wakeUp(busy: boolean): void {
    if (busy) this.#parked = false;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #settleIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
