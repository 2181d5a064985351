import assert from "node:assert/strict";
import { EchoTracker } from "./echo_tracker.ts";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function tracker(...lines: string[]): EchoTracker {
  const t = new EchoTracker();
  for (const l of lines) t.expectLine(enc(l));
  return t;
}

Deno.test("2.x order: echo, CR LF, prompt, line after line; fed byte by byte", () => {
  const t = tracker('__nfw"abc"', '__nfw"de"');
  for (const b of enc('__nfw"abc"\r\n> __nfw"de"\r\n> ')) t.feed(new Uint8Array([b]));
  assert.equal(t.failure, undefined);
  assert.equal(t.consumed, 11 + 10);
  assert.equal(t.linesEchoed, 2);
  assert.equal(t.prompts, 2);
});

Deno.test("3.x order: a prompt may come in the middle of the next line's echo", () => {
  const t = tracker("a=1", "bb=2", "c=3");
  t.feed(enc("a=1\r\nbb"));
  assert.equal(t.consumed, 6);
  assert.equal(t.prompts, 0);
  t.feed(enc("> =2\r\nc=> 3\r\n> "));
  assert.equal(t.failure, undefined);
  assert.equal(t.prompts, 3);
  assert.equal(t.consumed, 4 + 5 + 4);
});

Deno.test("an LF alone ends a line's echo too", () => {
  const t = tracker("x=1");
  t.feed(enc("x=1\n> "));
  assert.equal(t.failure, undefined);
  assert.equal(t.prompts, 1);
});

Deno.test("a Lua error is a failure that keeps the board's words", () => {
  const t = tracker('__nfw"a"', '__nfw"b"');
  t.feed(enc('__nfw"a"\r\n__nfw> "b"\r\nLua error: \tstdin:1: nf: write failed\n'));
  assert.equal(t.failure?.reason, "unexpected");
  assert.equal(t.failure?.line, 1);
  assert.match(t.failure?.text ?? "", /^Lua error: \tstdin:1: nf: write failed/);
  t.feed(enc("> "));
  assert.match(t.failure?.text ?? "", /> $/, "later bytes are kept");
});

Deno.test("a continuation prompt, a corrupted echo and a prompt before its line are failures", () => {
  const cont = tracker('__nfw"a');
  cont.feed(enc('__nfw"a\r\n>> '));
  assert.equal(cont.failure?.reason, "continuation");

  const noise = tracker("abc");
  noise.feed(enc("abd"));
  assert.equal(noise.failure?.reason, "unexpected");
  assert.equal(noise.consumed, 2, "only what matched counts as taken from the ring");

  const early = tracker("abc");
  early.feed(enc("a> "));
  assert.equal(early.failure?.reason, "unexpected");
});
