/**
 * A scripted NodeMCU board for smoke-test tests: the device side of a memory link that replays
 * a boot transcript after each reset, with each part sent at its own baud rate (the ROM at
 * 74880, NodeMCU at 115200) and decoded by the host at the host's current rate through a
 * bit-level UART model, then serves a prompt with NodeMCU's echo rules.
 *
 * It models the NodeMCU devkit's reset circuit (EN = NOT(RTS and not DTR), GPIO0 = NOT(DTR and
 * not RTS)); the boot mode is sampled 1 ms after EN rises. It implements the memory link's peer
 * interface structurally, so lib/smoke code does not import the transport implementation.
 *
 * @module
 */

import type { Signals } from "../../transport/types.ts";
import type { LineEvaluator } from "./lua_repl.ts";
import { resampleUart } from "./uart_resample.ts";

/** One burst the board sends during boot. */
export interface BoardStep {
  /** Wait this long after the previous step (or after the reset). */
  delayMs: number;
  /** The rate the board sends this burst at. */
  baud: number;
  /** The bytes; a string is Latin-1 (one character per byte). */
  data: string | Uint8Array;
  /** What the board is doing from this step on (recorded with bytes the host sends). */
  state?: string;
  /**
   * A host listening at the previous burst's rate is given the time to follow to this one (up
   * to 2 s) before the burst goes, as the simulator's board gives it (pace instant): the
   * host's switch is then decided by what it heard, not by how late a loaded machine runs its
   * timers. Without it the burst goes on time, whatever the host does.
   */
  follows?: boolean;
}

/** What the board does in one boot. */
export interface BootScript {
  /** Bursts in order. */
  steps: BoardStep[];
  /** After the last step: serve the prompt, stay silent, or reset again (a boot loop). */
  then: "repl" | "hang" | "reboot";
}

/** What a boot script may depend on. */
export interface BootContext {
  /** 0 for the first boot after the link opened, then 1, 2... */
  boot: number;
  /** GPIO0 was low when the boot mode was sampled (UART download mode). */
  gpio0Low: boolean;
}

/** Options for {@link ScriptedBoard}. */
export interface ScriptedBoardOptions {
  /** The boot script for each boot. */
  script: (context: BootContext) => BootScript;
  /** Runs typed lines; `"echo"` echoes and prompts but never evaluates anything. */
  repl: LineEvaluator | "echo";
  /** The console's rate (115200). */
  consoleBaud?: number;
  /** Start at the prompt, as a board that has been running for a while. */
  running?: boolean;
  /** Deliver bursts in chunks of this many bytes at the real line speed (10 bits a byte). */
  chunkSize?: number;
}

/** Bytes the host sent, and what the board was doing then. */
export interface HostWrite {
  /** The board's state (`"off"`, a step's state, `"booting"`, `"repl"`, `"hung"`). */
  state: string;
  /** The bytes, as the host sent them. */
  data: Uint8Array;
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  if (typeof data !== "string") return data;
  return Uint8Array.from(data, (c) => c.charCodeAt(0));
}

/** How long a burst at a new rate waits at most for the host to follow, ms. */
const FOLLOW_MAX_MS = 2000;

/**
 * The scripted board. Attach it to a memory link with {@link ScriptedBoard.attach}.
 *
 * @example
 * ```ts
 * import { ScriptedBoard } from "./scripted_board.ts";
 * import { createMemoryLink } from "../../transport/memory.ts";
 * import assert from "node:assert/strict";
 * const board = new ScriptedBoard({
 *   script: () => ({ steps: [{ delayMs: 0, baud: 115200, data: "> " }], then: "repl" }),
 *   repl: "echo",
 * });
 * const link = createMemoryLink(board);
 * board.attach(link.deliver);
 * await link.transport.setSignals({ dtr: false, rts: true });
 * await link.transport.setSignals({ dtr: false, rts: false });
 * const reader = link.transport.readable.getReader();
 * assert.equal(new TextDecoder().decode((await reader.read()).value), "> ");
 * reader.releaseLock();
 * await link.transport.close();
 * ```
 */
export class ScriptedBoard {
  readonly #options: ScriptedBoardOptions;
  readonly #consoleBaud: number;
  #deliver: (bytes: Uint8Array) => void = () => {};
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #follower: (() => void) | undefined;
  #hostBaud = 115200;
  #en = true;
  #gpio0Low = false;
  #boots = 0;
  #state: string;
  #line = "";
  #more = false;
  #lastTerminator = "";
  #lineFreeAt = 0;
  /** Everything the host sent, with the board's state at the time. */
  readonly writes: HostWrite[] = [];

  /** @param options script, REPL and rates */
  constructor(options: ScriptedBoardOptions) {
    this.#options = options;
    this.#consoleBaud = options.consoleBaud ?? 115200;
    this.#state = options.running ? "repl" : "off";
  }

  /** How many boots have started. */
  get boots(): number {
    return this.#boots;
  }

  /** What the board is doing now. */
  get state(): string {
    return this.#state;
  }

  /**
   * Connects the board's transmit side.
   *
   * @param deliver the link's `deliver`
   */
  attach(deliver: (bytes: Uint8Array) => void): void {
    this.#deliver = deliver;
  }

  /** Someone pressed RESET (for boards without the auto-reset circuit). */
  pressReset(): void {
    this.#cancel();
    // the boot's first burst is scheduled now (1 ms on): a host's timers set after this press
    // cannot overtake it on a machine that runs timers late
    this.#boot(1);
  }

  /**
   * The host wrote bytes.
   *
   * @param bytes what it sent
   * @param hostBaud its rate
   */
  receive(bytes: Uint8Array, hostBaud: number): void {
    this.writes.push({ state: this.#state, data: bytes.slice() });
    if (this.#state !== "repl") return;
    const heard = resampleUart(bytes, hostBaud, this.#consoleBaud);
    this.#send(this.#consoleBaud, this.#type(heard));
  }

  /**
   * The host drove DTR/RTS.
   *
   * @param signals the new line states
   */
  setSignals(signals: Signals): void {
    const en = !(signals.rts && !signals.dtr);
    this.#gpio0Low = signals.dtr && !signals.rts;
    if (!en) {
      this.#cancel();
      this.#state = "reset";
    } else if (!this.#en) {
      this.#boot(1); // its first burst scheduled now, as for pressReset
    }
    this.#en = en;
  }

  /**
   * The host changed its baud rate.
   *
   * @param baud the new rate
   */
  setBaudRate(baud: number): void {
    this.#hostBaud = baud;
    this.#follower?.();
  }

  /** The host closed the link. */
  hostClosed(): void {
    this.#cancel();
    this.#state = "closed";
  }

  #boot(leadMs = 0): void {
    const script = this.#options.script({ boot: this.#boots++, gpio0Low: this.#gpio0Low });
    this.#state = "booting";
    this.#line = "";
    this.#more = false;
    const finish = () => {
      if (script.then === "repl") this.#state = "repl";
      else if (script.then === "hang") this.#state = "hung";
      else this.#schedule(1, () => this.#boot());
    };
    const run = (i: number, baud: number | undefined) => {
      const step = script.steps[i];
      if (step === undefined) return;
      this.#schedule(
        step.delayMs + (i === 0 ? leadMs : 0),
        () =>
          this.#followed(step.follows === true ? baud : undefined, step.baud, () => {
            if (step.state !== undefined) this.#state = step.state;
            // The last burst and the state after it belong together: no host turn in between.
            if (i === script.steps.length - 1) finish();
            this.#send(step.baud, bytesOf(step.data));
            run(i + 1, step.baud);
          }),
      );
    };
    run(0, undefined);
    if (script.steps.length === 0) finish();
  }

  /**
   * A burst at a new rate (a step that `follows`) waits for a host that listens at the old one
   * to follow, up to {@link FOLLOW_MAX_MS}; a host that stays hears it garbled, as it would.
   */
  #followed(leaving: number | undefined, next: number, go: () => void): void {
    if (leaving === undefined || leaving === next || this.#hostBaud !== leaving) return go();
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      this.#follower = undefined;
      go();
    };
    this.#follower = once;
    this.#schedule(FOLLOW_MAX_MS, once);
  }

  /** NodeMCU's input driver: echo, CR/LF pairs as one line end, empty line = fresh prompt. */
  #type(heard: Uint8Array): Uint8Array {
    let out = "";
    for (const byte of heard) {
      const c = String.fromCharCode(byte);
      if (c === "\r" || c === "\n") {
        const pair = this.#lastTerminator !== "" && this.#lastTerminator !== c;
        this.#lastTerminator = pair ? "" : c;
        if (pair) continue;
        out += "\r\n" + this.#runLine(this.#line);
        this.#line = "";
        continue;
      }
      this.#lastTerminator = "";
      if (byte === 0x08 || byte === 0x7f) {
        this.#line = this.#line.slice(0, -1);
        out += "\b \b";
        continue;
      }
      this.#line += c;
      out += c;
    }
    return bytesOf(out);
  }

  #runLine(line: string): string {
    const repl = this.#options.repl;
    if (line === "" || repl === "echo") return this.#more ? ">> " : "> ";
    const result = repl(line);
    this.#more = result.more;
    const printed = result.output === "" ? "" : result.output.replaceAll("\n", "\r\n") + "\r\n";
    return printed + (result.more ? ">> " : "> ");
  }

  #send(baud: number, data: Uint8Array): void {
    const size = this.#options.chunkSize;
    if (size === undefined || size <= 0) {
      this.#deliver(resampleUart(data, baud, this.#hostBaud));
      return;
    }
    // Real line timing: 10 bits per byte, one burst after the other; each chunk is decoded at
    // the host's rate when it arrives.
    const now = performance.now();
    const msPerByte = 10_000 / baud;
    let at = Math.max(now, this.#lineFreeAt);
    for (let i = 0; i < data.length; i += size) {
      const part = data.subarray(i, i + size);
      at += part.length * msPerByte;
      this.#schedule(at - now, () => this.#deliver(resampleUart(part, baud, this.#hostBaud)));
    }
    this.#lineFreeAt = at;
  }

  #schedule(ms: number, fn: () => void): void {
    const id = setTimeout(() => {
      this.#timers.delete(id);
      fn();
    }, ms);
    this.#timers.add(id);
  }

  #cancel(): void {
    for (const id of this.#timers) clearTimeout(id);
    this.#timers.clear();
    this.#follower = undefined;
    this.#lineFreeAt = 0;
  }
}
