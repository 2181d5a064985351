import assert from "node:assert/strict";
import { decodeLuaBody, luaQuote, luaStringPiece, needsEscape } from "./lua_literal.ts";

const FORBIDDEN = [0x00, 0x08, 0x0a, 0x0d, 0x11, 0x13, 0x3e, 0x7f];

Deno.test("every byte value survives the string body, and the body holds no byte the REPL acts on", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  // Each byte before a digit and before a non-digit, so both escape widths are exercised.
  const data = new Uint8Array([...all].flatMap((b) => [b, 0x37, b, 0x41]));
  let at = 0;
  const out: number[] = [];
  while (at < data.length) {
    const piece = luaStringPiece(data, { start: at, maxChars: 243 });
    assert.ok(piece.bytes > 0);
    assert.ok(piece.text.length <= 243);
    for (const c of piece.text) {
      assert.ok(!FORBIDDEN.includes(c.charCodeAt(0)), `0x${c.charCodeAt(0).toString(16)} in body`);
    }
    // the body never ends inside an escape, and no unescaped quote ends the string early
    assert.doesNotMatch(piece.text.replace(/\\\\/g, ""), /(^|[^\\])"/);
    out.push(...decodeLuaBody(piece.text));
    at += piece.bytes;
  }
  assert.deepEqual(Uint8Array.from(out), data);
});

Deno.test("text stays readable: only quotes, backslashes, newlines and > are escaped", () => {
  const src = new TextEncoder().encode('if a > b then print("x\\n") end\n');
  const { text } = luaStringPiece(src, { start: 0, maxChars: 1000 });
  assert.equal(text, 'if a \\62 b then print(\\"x\\\\n\\") end\\n');
  assert.equal(needsEscape(0x09), false, "TAB goes through");
  assert.equal(needsEscape(0xe9), false, "high bytes go through");
});

Deno.test("a piece stops before an escape that would not fit, never in its middle", () => {
  const data = new Uint8Array([0x41, 0x00, 0x31]);
  assert.deepEqual(luaStringPiece(data, { start: 0, maxChars: 3 }), { text: "A", bytes: 1 });
  assert.deepEqual(luaStringPiece(data, { start: 1, maxChars: 4 }), { text: "\\000", bytes: 1 });
  assert.equal(luaQuote("init.lua"), '"init.lua"');
});
