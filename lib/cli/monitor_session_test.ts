/**
 * The monitor loop in-process: a memory link to a simulated NodeMCU devkit (its reset circuit,
 * the ROM's lines at 74880, NodeMCU carrying a real 3.x cloud build's banner and a real Lua VM
 * behind NodeMCU's console rules; tests/support/replay_board.ts), and a scripted terminal.
 */

import assert from "node:assert/strict";
import { isNodeflashError } from "../../mod.ts";
import { noiseCount } from "../smoke/mod.ts";
import { type MonitorOptions, type MonitorTerminal, runMonitor } from "./monitor_session.ts";
import { FOREIGN_RESET_NOTE } from "./monitor_notes.ts";
import type { SimEvent } from "../sim/sim_event.ts";
import { BANNERS } from "../smoke/testing/transcripts.ts";
import { replayBoard } from "../../tests/support/replay_board.ts";

const CTRL_T = "\x14", CTRL_BRACKET = "\x1d";
const BANNER = BANNERS.at(-2)!; // 3.x cloud build
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array | number[]) => String.fromCharCode(...b);

/** A keyboard and a screen, with the monitor's notes interleaved in order. */
class ScriptedTerminal implements MonitorTerminal {
  readonly isTerminal: boolean;
  readonly raw: boolean[] = [];
  readonly events: { kind: "screen" | "note"; text: string }[] = [];
  #input: (Uint8Array | null)[] = [];
  #wake: (() => void) | undefined;

  constructor(isTerminal: boolean) {
    this.isTerminal = isTerminal;
  }

  type(keys: string): void {
    this.#input.push(latin1(keys));
    this.#wake?.();
  }

  end(): void {
    this.#input.push(null);
    this.#wake?.();
  }

  async read(): Promise<Uint8Array | null> {
    while (this.#input.length === 0) await new Promise<void>((r) => this.#wake = r);
    return this.#input.shift()!;
  }

  setRaw(raw: boolean): void {
    this.raw.push(raw);
  }

  write(bytes: Uint8Array): Promise<void> {
    this.events.push({ kind: "screen", text: text(bytes) });
    return Promise.resolve();
  }

  note = (line: string): void => {
    this.events.push({ kind: "note", text: line });
  };

  get screen(): string {
    return this.events.filter((e) => e.kind === "screen").map((e) => e.text).join("");
  }

  get notes(): string {
    return this.events.filter((e) => e.kind === "note").map((e) => e.text).join("\n");
  }

  /** Waits (up to 5 s) until the screen or the notes match. */
  async waitFor(where: "screen" | "notes", pattern: RegExp | string): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const seen = where === "screen" ? this.screen : this.notes;
      if (typeof pattern === "string" ? seen.includes(pattern) : pattern.test(seen)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`never saw ${pattern} on the ${where}:\n${JSON.stringify(this.events)}`);
  }
}

/**
 * A devkit that booted NodeMCU at power-up, a terminal, and the monitor ready to start. `realtime`
 * makes the board take a real board's time (bytes at the line rate, in chunks).
 */
async function setUp(
  options: { isTerminal?: boolean; modemLines?: boolean; realtime?: boolean } = {},
) {
  const peers = replayBoard({
    banner: BANNER.console,
    ...(options.realtime
      ? { flashSize: "1MB" as const, board: { pace: "realtime" as const } }
      : {}),
    ...(options.modemLines === false ? { modemLines: false } : {}),
  });
  await peers.atPrompt();
  const { board, link } = peers;
  await link.transport.discardInput(); // the power-up boot's output was not the monitor's
  const sim: SimEvent[] = [];
  board.on((e) => void (e.type === "boot" || e.type === "rx" ? sim.push(e) : 0));
  const boots = () => sim.filter((e) => e.type === "boot").length;
  const typed = () => sim.flatMap((e) => e.type === "rx" ? [text(e.bytes)] : []);
  const pressReset = () => {
    board.resetButton("down");
    board.resetButton("up");
  };
  const terminal = new ScriptedTerminal(options.isTerminal ?? true);
  const logged: number[] = [];
  const start = (extra: Partial<MonitorOptions> = {}) =>
    runMonitor(link.transport, {
      terminal,
      note: terminal.note,
      log: (b) => Promise.resolve(void logged.push(...b)),
      timing: { quietMs: 80, windowMs: 500, noiseQuietMs: 80 },
      ...extra,
    });
  return { board, link, terminal, logged, start, boots, typed, pressReset, close: peers.close };
}

Deno.test("monitor: Lua typed at the prompt comes back evaluated; Ctrl-] quits and restores the terminal", async () => {
  const { terminal, start, close } = await setUp();
  const running = start();
  await terminal.waitFor("notes", "--- Connected to sim:// at 115200 baud; Ctrl-] quits");
  terminal.type("print(6*7)\r");
  await terminal.waitFor("screen", "print(6*7)\r\n42\r\n> ");
  terminal.type(`=node.heap()\r${CTRL_BRACKET}print("never sent")\r`);
  const result = await running;
  assert.equal(result.end, "quit-key");
  assert.deepEqual(terminal.raw, [true, false]);
  assert.equal(result.toBoard, "print(6*7)\r=node.heap()\r".length);
  await close();
});

Deno.test("monitor: Ctrl-T R resets through RTS and shows the ROM's line decoded, the banner clean", async () => {
  // A board in real time: bytes at the line rate, the ROM's at 74880, NodeMCU's at 115200.
  const { link, terminal, logged, start, boots, close } = await setUp({ realtime: true });
  const running = start();
  terminal.type(`${CTRL_T}R`);
  await terminal.waitFor("screen", "cannot open init.lua: \r\n> ");
  assert.equal(boots(), 1);
  assert.match(terminal.notes, /^ets Jan {2}8 2013,rst cause:2, boot mode:\(3,6\)$/m);
  assert.match(terminal.notes, /^load 0x40100000, len 27444, room 16 $/m);
  assert.match(
    terminal.notes,
    /rst cause 2: external reset.*boot mode 3: flash boot; back at 115200 baud/,
  );
  // Nothing of the 74880-baud part reached the screen, and the banner came through intact.
  assert.equal(noiseCount(latin1(terminal.screen)), 0);
  assert.ok(terminal.screen.includes(BANNER.console), JSON.stringify(terminal.screen));
  assert.ok(!terminal.notes.includes(FOREIGN_RESET_NOTE));
  // The ROM's line went to the note before the banner went to the screen.
  const noteAt = terminal.events.findIndex((e) => e.text.includes("ets Jan  8 2013"));
  const bannerAt = terminal.events.findIndex((e) => e.text.includes("NodeMCU 3.0.0.0"));
  assert.ok(noteAt >= 0 && noteAt < bannerAt);
  // The log has everything the board sent, at the rate the monitor heard it.
  assert.ok(text(logged).includes(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n"));
  assert.ok(text(logged).includes("NodeMCU 3.0.0.0"));
  // Back at the console rate: the REPL still answers.
  terminal.type("=1+1\r");
  await terminal.waitFor("screen", "=1+1\r\n2\r\n> ");
  terminal.type(CTRL_BRACKET);
  const result = await running;
  assert.equal(result.resets, 1);
  assert.equal(link.transport.baudRate, 115200);
  await close();
});

Deno.test("monitor: a reset it did not cause is noticed from the noise, once, before the banner", async () => {
  const { terminal, start, pressReset, close } = await setUp();
  const running = start();
  await terminal.waitFor("notes", "Connected");
  pressReset();
  await terminal.waitFor("screen", "cannot open init.lua: \r\n> ");
  const noteAt = terminal.events.findIndex((e) =>
    e.kind === "note" && e.text.includes(FOREIGN_RESET_NOTE)
  );
  const bannerAt = terminal.events.findIndex((e) => e.text.includes("NodeMCU 3.0.0.0"));
  assert.ok(noteAt > 0 && noteAt < bannerAt, JSON.stringify(terminal.events));
  assert.equal(terminal.notes.split(FOREIGN_RESET_NOTE).length, 2);
  // The noise itself reached the screen unchanged (the board's bytes are never edited).
  assert.ok(noiseCount(latin1(terminal.screen)) > 100);
  terminal.type(CTRL_BRACKET);
  assert.equal((await running).foreignResets, 1);
  await close();
});

Deno.test("monitor: keys help, unknown Ctrl-T keys and literal Ctrl-T", async () => {
  const { terminal, start, typed, close } = await setUp();
  const running = start();
  terminal.type(`${CTRL_T}h`);
  await terminal.waitFor("notes", "Ctrl-T R ");
  terminal.type(`${CTRL_T}z`);
  await terminal.waitFor("notes", "Ctrl-T 'z' does nothing");
  terminal.type(`${CTRL_T}${CTRL_T}`);
  await terminal.waitFor("screen", CTRL_T);
  terminal.type(CTRL_BRACKET);
  await running;
  assert.deepEqual(typed(), [CTRL_T]);
  await close();
});

Deno.test("monitor: without DTR/RTS, Ctrl-T R says so and leaves the board alone", async () => {
  const { terminal, start, boots, close } = await setUp({ modemLines: false });
  const running = start();
  terminal.type(`${CTRL_T}R`);
  await terminal.waitFor("notes", "carries no DTR/RTS lines");
  terminal.type(CTRL_BRACKET);
  assert.equal((await running).resets, 0);
  assert.equal(boots(), 0);
  await close();
});

Deno.test("monitor: piped input goes as it comes, keys included; its end quits once the board is quiet", async () => {
  const { terminal, start, typed, close } = await setUp({ isTerminal: false });
  const running = start({ idleMs: 100 });
  terminal.type(`print(6*7)\r\nprint("a${CTRL_BRACKET}b")\r\n`);
  terminal.end();
  const result = await running;
  assert.equal(result.end, "end-of-input");
  assert.deepEqual(terminal.raw, []);
  assert.ok(terminal.screen.includes("print(6*7)\r\n42\r\n> "), terminal.screen);
  assert.ok(terminal.screen.includes(`a${CTRL_BRACKET}b\r\n> `), terminal.screen);
  assert.match(terminal.notes, /quitting once it ends and the board is quiet/);
  assert.equal(typed().join(""), `print(6*7)\r\nprint("a${CTRL_BRACKET}b")\r\n`);
  await close();
});

Deno.test("monitor: with eof 'stay' the end of input does not quit; the signal does", async () => {
  const { terminal, start, pressReset, close } = await setUp({ isTerminal: false });
  const stop = new AbortController();
  const running = start({ eof: "stay", idleMs: 1, signal: stop.signal });
  terminal.end();
  pressReset(); // output after the end of input still shows
  await terminal.waitFor("screen", "cannot open init.lua: \r\n> ");
  stop.abort();
  assert.equal((await running).end, "interrupted");
  await close();
});

Deno.test("monitor: a vanished port ends it with port/disconnected, the terminal restored", async () => {
  const { link, terminal, start, close } = await setUp();
  const running = start();
  await terminal.waitFor("notes", "Connected");
  link.hangUp();
  await assert.rejects(running, (e) => isNodeflashError(e) && e.code === "port/disconnected");
  assert.deepEqual(terminal.raw, [true, false]);
  await close();
});

Deno.test("monitor: an interrupt during the ROM window stops at once and restores the terminal", async () => {
  const { link, terminal, start, close } = await setUp();
  const stop = new AbortController();
  const running = start({ signal: stop.signal, timing: { windowMs: 60_000, maxMs: 60_000 } });
  terminal.type(`${CTRL_T}R`);
  while (link.transport.baudRate !== 74880) await new Promise((r) => setTimeout(r, 5));
  stop.abort();
  assert.equal((await running).end, "interrupted");
  assert.deepEqual(terminal.raw, [true, false]);
  await close();
});
