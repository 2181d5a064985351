/**
 * Where the CLI writes, and how it renders the library's events:
 *
 * - human text (progress, notes, warnings, errors) goes to stderr; a command's human result
 *   (image-info, info, ports) goes to stdout;
 * - with `--json`, stdout carries only JSON: one object per line for every event, and a final
 *   `{"type": "result", ...}` object;
 * - progress is a bar (npm:cli-progress) on a terminal, plain lines otherwise.
 *
 * @module
 */

import type cliProgress from "cli-progress";
import process from "node:process";

/** The progress-bar package, loaded only for a terminal ({@link loadProgressBars}). */
export type ProgressBars = typeof cliProgress;

/**
 * Loads the progress-bar package (a few dozen ms of start-up that a run without a terminal,
 * `--quiet` or `--json` does not pay).
 *
 * @returns the package
 *
 * @example
 * ```ts
 * import { loadProgressBars } from "./output.ts";
 * if (typeof (await loadProgressBars()).SingleBar !== "function") throw new Error();
 * ```
 */
export async function loadProgressBars(): Promise<ProgressBars> {
  return (await import("cli-progress")).default;
}

/** A rate in bytes per second as kbit/s with one decimal. */
const kbitPerSecond = (bytesPerSecond: number) => (bytesPerSecond * 8 / 1000).toFixed(1);

/** The two streams, as functions (tests capture them). */
export interface OutputSink {
  /** Writes to stdout. */
  stdout(text: string): void;
  /** Writes to stderr. */
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars) . */
  stderrIsTerminal: boolean;
}

/** A progress display for one long task. */
export interface Progress {
  /**
   * Reports bytes done so far, and the rate in bytes per second when the caller measured it
   * (the display measures it otherwise).
   */
  update(done: number, rate?: number): void;
  /** Ends the display. */
  end(): void;
}

/**
 * The CLI's writer.
 *
 * @example
 * ```ts
 * import { Output } from "./output.ts";
 * import assert from "node:assert/strict";
 * let out = "";
 * const o = new Output({ stdout: (t) => out += t, stderr: () => {}, stderrIsTerminal: false }, { json: true, quiet: false });
 * o.emit({ type: "progress", done: 1 });
 * assert.equal(out, '{"type":"progress","done":1}\n');
 * ```
 */
export class Output {
  /** `--json` mode. */
  readonly json: boolean;
  /** `--quiet` mode. */
  readonly quiet: boolean;
  readonly #sink: OutputSink;
  readonly #bars: ProgressBars | undefined;

  /**
   * @param sink the streams
   * @param options json and quiet modes; `bars`, the progress-bar package for a terminal
   *   (without it progress is shown as lines)
   */
  constructor(sink: OutputSink, options: { json: boolean; quiet: boolean; bars?: ProgressBars }) {
    this.#sink = sink;
    this.json = options.json;
    this.quiet = options.quiet;
    this.#bars = options.bars;
  }

  /**
   * A human note on stderr (not in quiet or JSON mode).
   *
   * @param line the text
   */
  info(line: string): void {
    if (!this.quiet && !this.json) this.#sink.stderr(line + "\n");
  }

  /**
   * A note: `note: ...` on stderr, or a `note` event in JSON mode (not in quiet mode).
   *
   * @param line the text
   * @param code a stable code for JSON consumers
   */
  note(line: string, code: string): void {
    if (this.json) this.emit({ type: "note", code, message: line });
    else this.info(`note: ${line}`);
  }

  /**
   * A warning on stderr (also an event in JSON mode).
   *
   * @param line the text
   * @param code a stable code for JSON consumers
   */
  warn(line: string, code = "warning"): void {
    if (this.json) this.emit({ type: "warning", code, message: line });
    if (!this.quiet) this.#sink.stderr(`warning: ${line}\n`);
  }

  /**
   * Raw text on stderr regardless of mode (traces, the monitor).
   *
   * @param text the text
   */
  stderr(text: string): void {
    this.#sink.stderr(text);
  }

  /**
   * A command's human result on stdout (nothing in JSON mode).
   *
   * @param text the text; a newline is added
   */
  print(text: string): void {
    if (!this.json) this.#sink.stdout(text + "\n");
  }

  /**
   * Raw text on stdout, whatever the mode (the `sim` command's `listening` line).
   *
   * @param text the text
   */
  raw(text: string): void {
    this.#sink.stdout(text);
  }

  /**
   * One JSON object on stdout (JSON mode only).
   *
   * @param event the object
   */
  emit(event: Record<string, unknown>): void {
    if (this.json) this.#sink.stdout(JSON.stringify(event) + "\n");
  }

  /**
   * The final result: a `{"type":"result"}` object in JSON mode.
   *
   * @param result the fields
   */
  result(result: Record<string, unknown>): void {
    this.emit({ type: "result", ...result });
  }

  /**
   * Starts a progress display.
   *
   * @param label what is happening (`Writing fw.bin at 0x00000000`)
   * @param total bytes in all
   * @returns the display
   */
  progress(label: string, total: number): Progress {
    if (this.json) return this.#jsonProgress(label, total);
    if (this.quiet) return { update() {}, end() {} };
    if (this.#sink.stderrIsTerminal && this.#bars) {
      return this.#barProgress(this.#bars, label, total);
    }
    return this.#lineProgress(label, total);
  }

  #jsonProgress(label: string, total: number): Progress {
    let last = -1;
    return {
      update: (done, rate) => {
        const pct = total === 0 ? 100 : Math.floor(done * 100 / total);
        if (pct === last) return;
        last = pct;
        this.emit({
          type: "progress",
          label,
          done,
          total,
          ...(rate === undefined ? {} : { rate: Math.round(rate) }),
        });
      },
      end() {},
    };
  }

  #lineProgress(label: string, total: number): Progress {
    let lastStep = -1;
    return {
      update: (done, rate) => {
        const pct = total === 0 ? 100 : Math.floor(done * 100 / total);
        const step = Math.floor(pct / 10);
        if (step === lastStep) return;
        lastStep = step;
        const speed = rate === undefined ? "" : `, ${kbitPerSecond(rate)} kbit/s`;
        this.#sink.stderr(`${label}... ${pct} % (${done} of ${total} bytes${speed})\n`);
      },
      end() {},
    };
  }

  #barProgress(bars: ProgressBars, label: string, total: number): Progress {
    const started = performance.now();
    const bar = new bars.SingleBar({
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} B | {kbps} kbit/s | ETA {eta}s`,
      hideCursor: true,
      clearOnComplete: false,
    }, bars.Presets.shades_classic);
    bar.start(total, 0, { kbps: "0" });
    return {
      update(done, rate) {
        const seconds = (performance.now() - started) / 1000;
        const measured = rate ?? (seconds > 0 ? done / seconds : 0);
        bar.update(done, { kbps: kbitPerSecond(measured) });
      },
      end() {
        bar.stop();
      },
    };
  }
}
