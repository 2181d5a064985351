import assert from "node:assert/strict";
import { FakeNodemcuRepl } from "../../tests/support/fake_nodemcu_repl.ts";
import { luaStringPiece } from "./lua_literal.ts";
import { MAX_LINE, MAX_LINES_IN_FLIGHT, ReplSession, RX_WINDOW } from "./repl_session.ts";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function dataLines(data: Uint8Array): Uint8Array[] {
  const lines = [ascii('__nfo("f")')];
  for (let at = 0; at < data.length;) {
    const p = luaStringPiece(data, { start: at, maxChars: MAX_LINE - 7 });
    lines.push(ascii(`__nfw"${p.text}"`));
    at += p.bytes;
  }
  return lines;
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

Deno.test("streamed lines never overrun the 256-byte ring of a board that is busy after every line", async () => {
  const board = new FakeNodemcuRepl({ busyTurns: 4 });
  const repl = new ReplSession(board.link.transport);
  const data = randomBytes(6000);
  let lastConsumed = 0;
  await repl.stream(dataLines(data), {
    onConsumed: (n) => {
      assert.ok(n >= lastConsumed);
      lastConsumed = n;
    },
  });
  assert.equal(board.overflowed, false);
  assert.ok(board.maxRing <= RX_WINDOW, `ring held ${board.maxRing} bytes`);
  assert.ok(board.maxQueued <= MAX_LINES_IN_FLIGHT, `${board.maxQueued} lines queued`);
  assert.deepEqual(Uint8Array.from(board.file), data);
  // the REPL is at its prompt afterwards
  assert.equal(await repl.exec("print(7)"), "7");
  repl.release();
  await board.link.transport.close();
});

Deno.test("the model bites: the same lines sent in one burst overrun the ring and lose data", async () => {
  const board = new FakeNodemcuRepl({ busyTurns: 4 });
  const data = randomBytes(6000);
  const lines = dataLines(data);
  const all = lines.flatMap((l) => [...l, 0x0a]);
  await board.link.transport.write(Uint8Array.from(all));
  // let the board work through what it kept
  const reader = board.link.transport.readable.getReader();
  let text = "";
  while (!text.endsWith("> ") || text.split("> ").length < 3) {
    const { value } = await reader.read();
    text += String.fromCharCode(...value!);
  }
  reader.releaseLock();
  assert.equal(board.overflowed, true);
  await board.link.transport.close();
});

Deno.test("a line the board refuses stops the stream with the board's words and the line", async () => {
  const board = new FakeNodemcuRepl();
  const repl = new ReplSession(board.link.transport);
  const lines = [...dataLines(randomBytes(300)), ascii("x = !"), ascii('__nfw"z"')];
  await assert.rejects(repl.stream(lines), (e: Error & { code?: string }) => {
    assert.equal(e.code, "lua/board-error");
    assert.match(e.message, /line 4: Lua error: \tstdin:1: unexpected symbol/);
    return true;
  });
  repl.release();
  await board.link.transport.close();
});

Deno.test("a line longer than the input buffer, or with '>' or a control byte, is refused before sending", async () => {
  const board = new FakeNodemcuRepl();
  const repl = new ReplSession(board.link.transport);
  await assert.rejects(repl.sendLine("x".repeat(MAX_LINE + 1)), /1\.\.250/);
  await assert.rejects(repl.sendLine("if a > b then end"), /forbidden/);
  await assert.rejects(repl.sendLine("a\rb"), /forbidden/);
  repl.release();
  await board.link.transport.close();
});

Deno.test("an echo that differs from the line is reported, not waited for", async () => {
  const board = new FakeNodemcuRepl({ echo: false });
  const repl = new ReplSession(board.link.transport, { answerTimeoutMs: 2000 });
  await assert.rejects(repl.exec("print(7)"), (e: Error & { code?: string }) => {
    assert.equal(e.code, "lua/unexpected-output");
    return true;
  });
  repl.release();
  await board.link.transport.close();
});
