import assert from "node:assert/strict";
import { findNodemcuBanner } from "./find_nodemcu_banner.ts";

function embed(...strings: string[]): Uint8Array {
  const parts = strings.map((s) => new TextEncoder().encode(s));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 8, 8));
  let at = 4;
  for (const p of parts) {
    out.set([0xa5, 0x5a, 0x00], at); // binary noise, then the NUL that ends the previous string
    out.set(p, at + 3);
    at += p.length + 8;
  }
  return out;
}

Deno.test("findNodemcuBanner joins the literal with the separate SDK string", () => {
  // The 3.x literal as the firmware keeps it (ending in "on SDK "), and the SDK's own string.
  const literal = "\nNodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com\n" +
    "\tbranch: release\n\tcommit: 71a182caa7841f8a8e3ad2ca1e5e9bcd0c0ce1c8\n" +
    "\tSSL: false\n\tmodules: file,gpio,net,node,tmr,uart,wifi\n" +
    " build 2020-02-01 19:59 powered by Lua 5.1.4 on SDK ";
  const sdk = "3.0.1-dev(fce080e)";
  const text = literal + sdk;
  const bytes = embed("NodeMCU is great", literal, "other", sdk);
  const found = findNodemcuBanner(bytes);
  assert.ok(found);
  assert.equal(found.text, text);
  assert.equal(found.offset, new TextDecoder("latin1").decode(bytes).indexOf(literal));
  assert.equal(found.version, "3.0.0.0");
  assert.equal(found.sdk, "3.0.1-dev(fce080e)");
});

Deno.test("findNodemcuBanner: no banner, a version-only string, and a banner without SDK string", () => {
  assert.equal(findNodemcuBanner(embed("hello", "NodeMCU rocks")), undefined);
  assert.equal(findNodemcuBanner(new Uint8Array(1000)), undefined);
  const versionOnly = findNodemcuBanner(embed("NodeMCU 1.5.4.1"));
  assert.equal(versionOnly?.version, "1.5.4.1");
  const literal = "\nNodeMCU 2.2.0.0 build 20190405 powered by Lua 5.1.4 on SDK ";
  const noSdk = findNodemcuBanner(embed(literal));
  assert.equal(noSdk?.text, literal);
  assert.equal(noSdk?.sdk, undefined);
  // A banner string at the very start and end of the buffer.
  assert.equal(
    findNodemcuBanner(new TextEncoder().encode("NodeMCU 2.1.0 build x powered by Lua 5.1.4"))
      ?.buildDate,
    "x",
  );
});
