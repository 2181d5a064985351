import assert from "node:assert/strict";
import {
  BUTTON_BINDINGS,
  type ButtonBoard,
  keyMeaning,
  listenForButtons,
  type SignalSource,
} from "./sim_buttons.ts";

const code = (c: string) => c.charCodeAt(0);

/** A board that records presses; the download press takes `ms` (EN's RC delay). */
function recordingBoard(ms = 20) {
  const presses: string[] = [];
  const board: ButtonBoard = {
    flashButton: (s) => void presses.push(`flash ${s}`),
    resetButton: (s) => void presses.push(`reset ${s}`),
    async enterDownloadMode() {
      presses.push("download start");
      await new Promise((r) => setTimeout(r, ms));
      presses.push("download end");
    },
  };
  return { board, presses };
}

/** Keys handed out one chunk per read, then the end (or a read that never ends). */
function keys(chunks: string[], end: "eof" | "open" = "eof") {
  let pending: ((n: number | null) => void) | undefined;
  return {
    read(buffer: Uint8Array): Promise<number | null> {
      const next = chunks.shift();
      if (next === undefined) {
        return end === "eof" ? Promise.resolve(null) : new Promise((r) => (pending = r));
      }
      const bytes = new TextEncoder().encode(next);
      buffer.set(bytes);
      return Promise.resolve(bytes.length);
    },
    end: () => pending?.(null),
  };
}

function fakeSignals() {
  const handlers = new Map<string, () => void>();
  const source: SignalSource = {
    add: (s, h) => void handlers.set(s, h),
    remove: (s, h) => {
      if (handlers.get(s) === h) handlers.delete(s);
    },
  };
  return { source, handlers };
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

Deno.test("keyMeaning: b and r in either case, h and ? for help, whitespace ignored, the rest unknown", () => {
  const table: Array<[string, string]> = [
    ["b", "download"],
    ["B", "download"],
    ["r", "reset"],
    ["R", "reset"],
    ["h", "help"],
    ["?", "help"],
    [" ", "ignore"],
    ["\r", "ignore"],
    ["\n", "ignore"],
    ["x", "unknown"],
    ["\x03", "unknown"],
  ];
  for (const [key, meaning] of table) assert.equal(keyMeaning(code(key)), meaning, key);
  assert.deepEqual(BUTTON_BINDINGS.map((b) => [b.key, b.signal]), [["b", "SIGUSR1"], [
    "r",
    "SIGUSR2",
  ]]);
});

Deno.test("listenForButtons: keys press in order; a reset waits for a download press to finish", async () => {
  const { board, presses } = recordingBoard();
  const notes: string[] = [];
  const stop = listenForButtons(board, { keys: keys(["b", "r\n", "x"]) }, {
    onNote: (n) => notes.push(n),
  });
  await settle();
  stop();
  assert.deepEqual(presses, ["download start", "download end", "reset down", "reset up"]);
  assert.ok(notes.includes("key 'b': FLASH held through RESET: download mode"), notes.join("\n"));
  assert.ok(notes.includes("key 'r': RESET pressed: booting from flash"), notes.join("\n"));
  assert.ok(notes.some((n) => /^key 'x' does nothing; keys: b = /.test(n)), notes.join("\n"));
});

Deno.test("listenForButtons: h lists the keys; stopping closes the sources once", async () => {
  const { board } = recordingBoard();
  const notes: string[] = [];
  let closed = 0;
  const input = keys(["h"], "open");
  const stop = listenForButtons(board, { keys: input, interactive: true, close: () => closed++ }, {
    onNote: (n) => notes.push(n),
  });
  await settle(10);
  assert.equal(notes.length, 1);
  assert.match(
    notes[0]!,
    /^keys: b = hold FLASH, press RESET[^]*\(signals: SIGUSR1 = b, SIGUSR2 = r\)$/,
  );
  stop();
  stop();
  assert.equal(closed, 1, "closed once");
  input.end();
});

Deno.test("listenForButtons: SIGUSR1 and SIGUSR2 press until stopped, then their handlers are gone", async () => {
  const { board, presses } = recordingBoard(5);
  const signals = fakeSignals();
  const notes: string[] = [];
  const stop = listenForButtons(board, { signals: signals.source }, {
    onNote: (n) => notes.push(n),
  });
  assert.deepEqual([...signals.handlers.keys()].sort(), ["SIGUSR1", "SIGUSR2"]);
  signals.handlers.get("SIGUSR2")!();
  signals.handlers.get("SIGUSR1")!();
  await settle(30);
  assert.deepEqual(presses, ["reset down", "reset up", "download start", "download end"]);
  assert.deepEqual(notes, [
    "SIGUSR2: RESET pressed: booting from flash",
    "SIGUSR1: FLASH held through RESET: download mode",
  ]);
  stop();
  assert.equal(signals.handlers.size, 0);
});

Deno.test("listenForButtons: a press that fails is a note, and later presses still happen", async () => {
  const presses: string[] = [];
  const board: ButtonBoard = {
    flashButton: () => {},
    resetButton: (s) => void presses.push(s),
    enterDownloadMode: () => Promise.reject(new Error("board closed")),
  };
  const notes: string[] = [];
  const stop = listenForButtons(board, { keys: keys(["br"]) }, { onNote: (n) => notes.push(n) });
  await settle(20);
  stop();
  assert.deepEqual(notes, [
    "key 'b': the press failed: board closed",
    "key 'r': RESET pressed: booting from flash",
  ]);
  assert.deepEqual(presses, ["down", "up"]);
});
