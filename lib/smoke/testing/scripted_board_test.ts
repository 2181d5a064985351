import assert from "node:assert/strict";
import { createMemoryLink } from "../../transport/memory.ts";
import { ByteReader, STREAM_ENDED } from "../../bytes/byte_reader.ts";
import { type BootContext, ScriptedBoard, type ScriptedBoardOptions } from "./scripted_board.ts";
import { createLuaRepl } from "./lua_repl.ts";

const dec = (b: Uint8Array) => new TextDecoder("latin1").decode(b);
const enc = (s: string) => new TextEncoder().encode(s);

function setup(options: ScriptedBoardOptions, modemLines = true) {
  const board = new ScriptedBoard(options);
  const link = createMemoryLink(board, { modemLines });
  board.attach(link.deliver);
  const reader = new ByteReader(link.transport.readable);
  /** Reads until `expect` arrived (or, without it, for the whole time) and returns the text. */
  const readFor = async (ms: number, expect?: string) => {
    let out = "";
    const end = performance.now() + ms;
    while (performance.now() < end && (expect === undefined || out.length < expect.length)) {
      const c = await reader.read(end - performance.now());
      if (c === STREAM_ENDED) break;
      if (c) out += dec(c);
    }
    return out;
  };
  const close = async () => {
    reader.release();
    await link.transport.close();
  };
  return { board, link, readFor, close };
}

Deno.test("reset circuit: an RTS pulse boots from flash, DTR held at EN rise boots download mode", async () => {
  const seen: BootContext[] = [];
  const { link, board, close } = setup({
    script: (c) => {
      seen.push(c);
      return { steps: [], then: "hang" };
    },
    repl: "echo",
  });
  try {
    const t = link.transport;
    await t.setSignals({ dtr: false, rts: true }); // EN low
    await t.setSignals({ dtr: false, rts: false }); // EN rises, GPIO0 high
    await new Promise((r) => setTimeout(r, 10));
    await t.setSignals({ dtr: false, rts: true });
    await t.setSignals({ dtr: true, rts: false }); // EN rises with GPIO0 low
    await new Promise((r) => setTimeout(r, 10));
    await t.setSignals({ dtr: true, rts: true }); // both asserted: nothing happens
    await t.setSignals({ dtr: false, rts: false });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(seen, [{ boot: 0, gpio0Low: false }, { boot: 1, gpio0Low: true }]);
    assert.equal(board.boots, 2);
  } finally {
    await close();
  }
});

Deno.test("bursts arrive clean at the host's rate and garbled at another", async () => {
  const { link, board, readFor, close } = setup({
    script: () => ({ steps: [{ delayMs: 0, baud: 74880, data: "ets Jan" }], then: "hang" }),
    repl: "echo",
  }, false);
  try {
    await link.transport.setBaudRate(74880);
    board.pressReset();
    assert.equal(await readFor(1000, "ets Jan"), "ets Jan");
    await link.transport.setBaudRate(115200);
    board.pressReset();
    const garbled = await readFor(1000, "?");
    assert.notEqual(garbled, "");
    assert.ok(!garbled.includes("ets"));
  } finally {
    await close();
  }
});

Deno.test("prompt: echo, CR LF as one line end, empty line re-prompts, backspace erases", async () => {
  const { link, readFor, close } = setup({
    script: () => ({ steps: [], then: "repl" }),
    repl: createLuaRepl(),
    running: true,
  });
  try {
    await link.transport.write(enc("\r\n"));
    assert.equal(await readFor(1000, "\r\n> "), "\r\n> ");
    await link.transport.write(enc("print(1+2)\r\n"));
    assert.equal(await readFor(1000, "print(1+2)\r\n3\r\n> "), "print(1+2)\r\n3\r\n> ");
    await link.transport.write(enc("=4x\b\n"));
    assert.equal(await readFor(1000, "=4x\b \b\r\n4\r\n> "), "=4x\b \b\r\n4\r\n> ");
    await link.transport.write(enc("if true then\r\n"));
    assert.equal(await readFor(1000, "if true then\r\n>> "), "if true then\r\n>> ");
  } finally {
    await close();
  }
});

Deno.test("input is ignored while booting but recorded with the board's state", async () => {
  const { link, board, readFor, close } = setup({
    script: () => ({
      steps: [{ delayMs: 0, baud: 115200, data: "Formatting", state: "formatting" }],
      then: "hang",
    }),
    repl: "echo",
  }, false);
  try {
    board.pressReset();
    assert.equal(await readFor(1000, "Formatting"), "Formatting");
    await link.transport.write(enc("x"));
    assert.equal(await readFor(10), "");
    assert.deepEqual(board.writes.map((w) => [w.state, dec(w.data)]), [["hung", "x"]]);
  } finally {
    await close();
  }
});

Deno.test("a board at another console rate hears the host's line as noise", async () => {
  const { link, readFor, close } = setup({
    script: () => ({ steps: [], then: "repl" }),
    repl: "echo",
    running: true,
    consoleBaud: 9600,
  });
  try {
    await link.transport.write(enc("\r\n"));
    const reply = await readFor(100);
    assert.notEqual(reply, "\r\n> ");
  } finally {
    await close();
  }
});
