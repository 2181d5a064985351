import assert from "node:assert/strict";
import { type ConsoleEvent, consoleText, LINE_BUFFER, NodemcuConsole } from "./nodemcu_console.ts";

function console_(era: "3.x" | "2.x" = "3.x") {
  let out = "";
  const con = new NodemcuConsole({ send: (t) => (out += t) }, { era });
  const feed = (text: string): ConsoleEvent[] =>
    [...text].flatMap((c) => con.byte(c.charCodeAt(0))).concat(con.drained());
  return { con, feed, out: () => out, reset: () => (out = "") };
}

const lines = (events: ConsoleEvent[]) =>
  events.flatMap((e) => (e.kind === "line" ? [e.text] : e.kind === "empty" ? ["<empty>"] : []));

Deno.test("console: echo as typed; CR, LF, CR+LF and LF+CR each end one line, echoed as LF", () => {
  const c = console_();
  assert.deepEqual(lines(c.feed("a\rb\nc\r\nd\n\re\r\r")), ["a", "b", "c", "d", "e", "<empty>"]);
  assert.equal(c.out(), "a\nb\nc\nd\ne\n\n");
  assert.equal(consoleText(c.out()), "a\r\nb\r\nc\r\nd\r\ne\r\n\r\n");
});

Deno.test("console: backspace and DEL erase with `\\b \\b`; nothing to erase sends nothing", () => {
  const c = console_();
  assert.deepEqual(lines(c.feed("\bxy\x7f\bz\r")), ["z"]);
  assert.equal(c.out(), "xy\b \b\b \bz\n");
});

Deno.test("console: a line over 255 bytes keeps its tail; the echo shows every byte", () => {
  const c = console_();
  const long = Array.from({ length: 600 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
  const [line] = lines(c.feed(`${long}\n`));
  // 255 bytes fill the buffer; the 256th and the 511th start it again at 0.
  assert.equal(line, long.slice(510));
  assert.equal(c.out(), `${long}\n`);
  const [full] = lines(c.feed(`${"q".repeat(LINE_BUFFER - 1)}\n`));
  assert.equal(full?.length, 255, "255 bytes fit");
  const [wrapped] = lines(c.feed(`${"q".repeat(LINE_BUFFER - 1)}r\n`));
  assert.equal(wrapped, "r");
});

Deno.test("console: control characters, NUL and XON/XOFF are ordinary bytes: echoed and kept", () => {
  const c = console_();
  assert.deepEqual(lines(c.feed("a\x00b\x11\x13\x1b[A\r")), ["a\x00b\x11\x13\x1b[A"]);
  assert.equal(c.out(), "a\x00b\x11\x13\x1b[A\n");
});

Deno.test("console: echo off sends nothing, not even the line end; lines still come", () => {
  const c = console_();
  c.con.echo = false;
  assert.deepEqual(lines(c.feed("print(1)\r\n\r\n")), ["print(1)", "<empty>"]);
  assert.equal(c.out(), "");
});

Deno.test("console: raw mode on 3.x: one callback per byte with n = 0, blocks of n, an end character, 256 at most", () => {
  const c = console_();
  c.con.setReceive({ dataLength: 0, endChar: 0, runInput: false });
  assert.deepEqual(c.feed("ab\r"), [
    { kind: "data", text: "a" },
    { kind: "data", text: "b" },
    { kind: "data", text: "\r" },
  ]);
  c.con.setReceive({ dataLength: 3, endChar: 0, runInput: false });
  assert.deepEqual(c.feed("abcdefg"), [
    { kind: "data", text: "abc" },
    { kind: "data", text: "def" },
  ]);
  assert.equal(c.con.pending, "g");
  c.con.setReceive({ dataLength: -1, endChar: 0x3b, runInput: false });
  assert.deepEqual(c.feed("x;"), [{ kind: "data", text: "gx;" }]);
  const events = c.feed("z".repeat(300));
  assert.deepEqual(events.map((e) => e.kind === "data" && e.text.length), [256]);
  assert.equal(c.out(), "", "no echo in raw mode");
});

Deno.test("console: raw mode with n = 0 on 2.x calls back once with what the drain found", () => {
  const c = console_("2.x");
  c.con.setReceive({ dataLength: 0, endChar: 0, runInput: false });
  assert.deepEqual(c.feed("abc"), [{ kind: "data", text: "abc" }]);
});

Deno.test("console: a line-mode receiver gets each line; 3.x also calls it for an empty line", () => {
  const three = console_();
  three.con.setReceive({ dataLength: -1, endChar: 0x0d, runInput: true });
  assert.deepEqual(three.feed("x=1\r\r"), [
    { kind: "data", text: "x=1" },
    { kind: "line", text: "x=1" },
    { kind: "data", text: "" },
    { kind: "empty" },
  ]);
  const two = console_("2.x");
  two.con.setReceive({ dataLength: -1, endChar: 0x0d, runInput: true });
  assert.deepEqual(two.feed("x=1\r\r"), [
    { kind: "data", text: "x=1" },
    { kind: "line", text: "x=1" },
    { kind: "empty" },
  ]);
});
