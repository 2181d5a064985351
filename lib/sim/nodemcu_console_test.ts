import assert from "node:assert/strict";
import { consoleText, LINE_BUFFER, NodemcuConsole } from "./nodemcu_console.ts";

function console_(prompt = "> ") {
  let out = "";
  const lines: string[] = [];
  const con = new NodemcuConsole({
    send: (t) => (out += t),
    run: (line) => (lines.push(line), prompt),
    currentPrompt: () => prompt,
  });
  const feed = (text: string) => con.feed(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  return { con, feed, out: () => out, lines, reset: () => (out = "") };
}

Deno.test("console: echo as typed; CR, LF, CR+LF and LF+CR each end one line with one CRLF", async () => {
  const c = console_();
  await c.feed("a\rb\nc\r\nd\n\re\r\r");
  assert.deepEqual(c.lines, ["a", "b", "c", "d", "e"]);
  assert.equal(c.out(), "a\r\n> b\r\n> c\r\n> d\r\n> e\r\n> \r\n> ");
});

Deno.test("console: an empty line re-sends the prompt without running anything; backspace erases", async () => {
  const c = console_(">> ");
  await c.feed("\r\n\r\n");
  assert.deepEqual(c.lines, []);
  assert.equal(c.out(), "\r\n>> \r\n>> ");
  c.reset();
  await c.feed("\bxy\x7f\bz\r");
  assert.deepEqual(c.lines, ["z"]);
  assert.equal(c.out(), "xy\b \b\b \bz\r\n>> ");
  assert.equal(c.con.pending, "");
});

Deno.test("console: lines longer than the 256-byte buffer wrap around in it", async () => {
  const c = console_();
  const long = "a".repeat(LINE_BUFFER) + "bc";
  await c.feed(`${long}\r`);
  assert.equal(c.lines[0]!.length, LINE_BUFFER);
  assert.equal(c.lines[0], "bc" + "a".repeat(LINE_BUFFER - 2));
});

Deno.test("consoleText: newlines become CRLF, bare CRs are dropped", () => {
  assert.equal(consoleText("a\nb\r\nc\r"), "a\r\nb\r\nc");
});
