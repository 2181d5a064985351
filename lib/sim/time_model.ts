/**
 * The board's time model (docs/performance.md#the-time-model): what every byte on the wire and
 * every flash operation costs, and two ways to let that time pass.
 *
 * - Wire: 10 bit times per byte at the current rate, both ways, plus an optional USB latency per
 *   direction (`latencyMs`).
 * - Device work: page program, sector / 32 KiB / 64 KiB / chip erase (Winbond W25Q32JV typical
 *   values by default), flash reads and MD5 per byte, the boot stages. Programs report work as
 *   they do it ({@link TimeModel.work}) and let it pass where the real chip waits for it
 *   ({@link TimeModel.settle}): the ROM before it replies (it writes and reads back each block
 *   first), the stubs after they reply (receiving the next block overlaps the write).
 *
 * The model always keeps a **modelled timeline**, in which the host answers every reply at once
 * (after the latency): incoming bytes start when the line is free and the host has heard the
 * last reply, the CPU starts a frame when it has fully arrived and it is done with the previous
 * one, replies start when the CPU sends them and the line is free. Its elapsed time for a job is
 * the floor the model implies (wire time plus the device time that cannot overlap), whatever the
 * host does. With pace `instant` (the default) that timeline is the board's clock and nothing
 * waits; with pace `realtime` the board also waits the time out in real time: frames are handled
 * when their last byte would have arrived, work takes its time, replies reach the host when
 * their last byte would have left, plus the latency.
 *
 * @module
 */

/** How modelled time passes. */
export type SimPace =
  /** Modelled time passes on the board's clock without waiting (unit tests). */
  | "instant"
  /** The board waits modelled time out in real time (`--realtime`). */
  | "realtime";

/** The model's parameters (times in microseconds unless named otherwise). */
export interface TimingParams {
  /** USB-serial latency per direction, ms (0 = none; FTDI default 16, CP210x/CH340 about 1). */
  latencyMs: number;
  /** 256-byte page program. */
  pageProgramUs: number;
  /** 4 KiB sector erase. */
  sectorEraseUs: number;
  /** 32 KiB block erase. */
  block32EraseUs: number;
  /** 64 KiB block erase. */
  blockEraseUs: number;
  /** Chip erase. */
  chipEraseUs: number;
  /** Flash read, per byte (SPI read plus the CPU copying it). */
  readUsPerByte: number;
  /** MD5 on the ESP8266's CPU, per byte. */
  md5UsPerByte: number;
  /** Reset to the firmware's first line at the console rate (ROM load, SDK start, RF calibration), ms. */
  bootMs: number;
  /**
   * With pace `instant`: the one real pause of a boot, between the ROM's output at 74880 and the
   * firmware's at 115200, so a host listening at the ROM rate can follow the board, ms.
   */
  consoleSwitchMs: number;
}

/**
 * Defaults: W25Q32JV typical values (docs/performance.md#erase-and-program-times), 250 ms from
 * reset to the console (docs/performance.md#boot-time).
 */
export const DEFAULT_TIMING: Readonly<TimingParams> = Object.freeze({
  latencyMs: 0,
  pageProgramUs: 400,
  sectorEraseUs: 45_000,
  block32EraseUs: 120_000,
  blockEraseUs: 150_000,
  chipEraseUs: 10_000_000,
  readUsPerByte: 0.2,
  md5UsPerByte: 0.6,
  bootMs: 250,
  consoleSwitchMs: 150,
});

/** A flash operation, for {@link TimeModel.flashOperation}. */
export interface FlashOperation {
  /** What the flash does. */
  kind: "program" | "erase-sector" | "erase-block32" | "erase-block" | "erase-chip";
  /** Bytes it covers. */
  length: number;
}

/** When bytes from the host arrive, on both timelines. */
export interface Arrival {
  /** Modelled time (µs) the last byte arrived. */
  modelUs: number;
  /** Real time (performance.now, ms) it arrives, with pace `realtime`. */
  realMs?: number;
}

/** A point to measure a job from ({@link TimeModel.mark}). */
export interface TimeMark {
  /** Modelled time. */
  modelUs: number;
  /** Board clock. */
  clockUs: number;
  /** Counters at the mark. */
  counters: TimeCounters;
}

/** Totals since the board was created. */
export interface TimeCounters {
  /** Bytes from the host. */
  bytesToBoard: number;
  /** Bytes to the host. */
  bytesToHost: number;
  /** Wire time of the bytes from the host, µs. */
  wireToBoardUs: number;
  /** Wire time of the bytes to the host, µs. */
  wireToHostUs: number;
  /** Device work (flash, CPU), µs. */
  busyUs: number;
}

/** What a job cost ({@link TimeModel.since}). */
export interface JobTiming extends TimeCounters {
  /** Elapsed on the board's clock (modelled with pace `instant`, real with `realtime`), µs. */
  elapsedUs: number;
  /** The modelled timeline's elapsed time: the floor the model implies for the job, µs. */
  floorUs: number;
}

/**
 * The model.
 *
 * @example
 * ```ts
 * import { TimeModel } from "./time_model.ts";
 * import assert from "node:assert/strict";
 * const model = new TimeModel({ pace: "instant" });
 * const mark = model.mark();
 * await model.waitFor(model.arrive(1152, 115200)); // 1152 bytes: 100 ms on the wire
 * model.flashOperation({ kind: "erase-sector", length: 4096 });
 * await model.settle();
 * model.send(12, 115200);
 * const job = model.since(mark);
 * assert.equal(Math.round(job.floorUs / 1000), 100 + 45 + 1);
 * ```
 */
export class TimeModel {
  /** The parameters. */
  readonly params: Readonly<TimingParams>;
  /** How time passes. */
  readonly pace: SimPace;
  readonly #t0 = performance.now();
  readonly #c: TimeCounters = {
    bytesToBoard: 0,
    bytesToHost: 0,
    wireToBoardUs: 0,
    wireToHostUs: 0,
    busyUs: 0,
  };
  #cpu = 0;
  #rxFree = 0;
  #txFree = 0;
  #hostReady = 0;
  #owed = 0;
  #realRxFree = 0;
  #realTxFree = 0;
  #realCpu = 0;
  readonly #sleeps = new Map<ReturnType<typeof setTimeout>, () => void>();
  #disposed = false;

  /**
   * Creates the model.
   *
   * @param options pace and parameter overrides
   */
  constructor(options: { pace?: SimPace; params?: Partial<TimingParams> } = {}) {
    this.pace = options.pace ?? "instant";
    this.params = Object.freeze({ ...DEFAULT_TIMING, ...options.params });
  }

  /** The board's clock: modelled µs (pace `instant`) or real µs since creation (`realtime`). */
  now(): number {
    return this.pace === "realtime" ? (performance.now() - this.#t0) * 1000 : this.#cpu;
  }

  /** The modelled timeline's current time, µs. */
  get modelNow(): number {
    return Math.max(this.#cpu, this.#txFree);
  }

  /** Totals so far (a copy). */
  get counters(): TimeCounters {
    return { ...this.#c };
  }

  /**
   * Bytes from the host enter the board's UART now.
   *
   * @param count how many
   * @param baud the rate they travel at
   * @returns when the last one has arrived
   */
  arrive(count: number, baud: number): Arrival {
    const wire = wireUs(count, baud);
    this.#c.bytesToBoard += count;
    this.#c.wireToBoardUs += wire;
    const start = Math.max(this.#rxFree, this.#hostReady);
    this.#rxFree = start + wire;
    if (this.pace !== "realtime") return { modelUs: this.#rxFree };
    const realStart = Math.max(this.#realRxFree, performance.now() + this.params.latencyMs);
    this.#realRxFree = realStart + wire / 1000;
    return { modelUs: this.#rxFree, realMs: this.#realRxFree };
  }

  /**
   * The CPU waits until bytes have arrived before it handles them.
   *
   * @param arrival from {@link arrive}
   */
  async waitFor(arrival: Arrival): Promise<void> {
    this.#cpu = Math.max(this.#cpu, arrival.modelUs);
    if (arrival.realMs !== undefined) await this.#realSleep(arrival.realMs - performance.now());
  }

  /**
   * Device work done now; it passes at the next {@link settle}.
   *
   * @param us microseconds
   */
  work(us: number): void {
    if (Number.isFinite(us) && us > 0) this.#owed += us;
  }

  /**
   * A flash operation, costed from the parameters.
   *
   * @param op what the flash did
   */
  flashOperation(op: FlashOperation): void {
    const p = this.params;
    if (op.kind === "program") this.work(Math.ceil(op.length / 256) * p.pageProgramUs);
    else if (op.kind === "erase-sector") this.work(p.sectorEraseUs);
    else if (op.kind === "erase-block32") this.work(p.block32EraseUs);
    else if (op.kind === "erase-block") this.work(p.blockEraseUs);
    else this.work(p.chipEraseUs);
  }

  /**
   * Time that passes on its own, with nothing to work on (the chip held in reset while EN's RC
   * delay runs out): the modelled timeline moves on by `us`. Nothing waits: with pace
   * `realtime` that time has already passed in real time; with `instant` it is only modelled.
   *
   * @param us microseconds
   */
  elapsed(us: number): void {
    if (Number.isFinite(us) && us > 0) this.#cpu += us;
  }

  /** Lets the work done so far pass (in real time too with pace `realtime`). */
  async settle(): Promise<void> {
    const owed = this.#owed;
    this.#owed = 0;
    if (owed <= 0) return;
    this.#cpu += owed;
    this.#c.busyUs += owed;
    if (this.pace !== "realtime") return;
    this.#realCpu = Math.max(this.#realCpu, performance.now()) + owed / 1000;
    await this.#realSleep(this.#realCpu - performance.now());
  }

  /**
   * The board sends bytes now.
   *
   * @param count how many
   * @param baud the board's rate
   * @param extraMs a fault's extra delay, ms
   * @returns how long until the host has them, in real milliseconds (0 with pace `instant`)
   */
  send(count: number, baud: number, extraMs = 0): number {
    const wire = wireUs(count, baud);
    this.#c.bytesToHost += count;
    this.#c.wireToHostUs += wire;
    this.#txFree = Math.max(this.#cpu, this.#txFree) + wire;
    this.#hostReady = this.#txFree + 2000 * this.params.latencyMs + extraMs * 1000;
    if (this.pace !== "realtime") return extraMs;
    const now = performance.now();
    this.#realTxFree = Math.max(this.#realTxFree, now) + wire / 1000;
    return this.#realTxFree + this.params.latencyMs + extraMs - now;
  }

  /** Ends every real-time wait at once, and the later ones too (the board is closing). */
  dispose(): void {
    this.#disposed = true;
    for (const [id, resolve] of this.#sleeps) {
      clearTimeout(id);
      resolve();
    }
    this.#sleeps.clear();
  }

  #realSleep(ms: number): Promise<void> {
    if (this.#disposed || !(ms > 0.5)) return Promise.resolve();
    return new Promise((resolve) => {
      const id = setTimeout(() => {
        this.#sleeps.delete(id);
        resolve();
      }, ms);
      this.#sleeps.set(id, resolve);
    });
  }

  /** A point to measure a job from. */
  mark(): TimeMark {
    const t = this.modelNow;
    this.#rxFree = Math.max(this.#rxFree, t);
    this.#hostReady = Math.max(this.#hostReady, t);
    this.#cpu = Math.max(this.#cpu, t);
    return { modelUs: t, clockUs: this.now(), counters: this.counters };
  }

  /**
   * What happened since a mark.
   *
   * @param mark from {@link mark}
   * @returns elapsed time, the floor and the counters' differences
   */
  since(mark: TimeMark): JobTiming {
    const c = this.#c;
    const m = mark.counters;
    return {
      elapsedUs: this.now() - mark.clockUs,
      floorUs: this.modelNow - mark.modelUs,
      bytesToBoard: c.bytesToBoard - m.bytesToBoard,
      bytesToHost: c.bytesToHost - m.bytesToHost,
      wireToBoardUs: c.wireToBoardUs - m.wireToBoardUs,
      wireToHostUs: c.wireToHostUs - m.wireToHostUs,
      busyUs: c.busyUs - m.busyUs,
    };
  }
}

/**
 * Wire time of `count` bytes at `baud` (10 bit times each: start, 8 data, stop).
 *
 * @param count bytes
 * @param baud rate
 * @returns microseconds
 *
 * @example
 * ```ts
 * import { wireUs } from "./time_model.ts";
 * if (Math.round(wireUs(11520, 115200)) !== 1_000_000) throw new Error();
 * ```
 */
export function wireUs(count: number, baud: number): number {
  return (count * 10 * 1e6) / baud;
}
