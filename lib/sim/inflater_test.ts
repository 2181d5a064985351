import assert from "node:assert/strict";
import zlib from "node:zlib";
import { Inflater } from "./inflater.ts";

Deno.test("Inflater: a level-9 zlib stream cut anywhere inflates to the original", async () => {
  const data = new Uint8Array(200_000).map((_, i) => (i % 97 === 0 ? i & 0xff : 0x20 + (i % 13)));
  const packed = zlib.deflateSync(data, { level: 9 });
  for (const step of [1, 7, 0x4000]) {
    const inflater = new Inflater();
    const parts: Uint8Array[] = [];
    for (let i = 0; i < packed.length; i += step) {
      parts.push((await inflater.push(packed.subarray(i, i + step))).output);
    }
    inflater.close();
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) out.set(p, (o += p.length) - p.length);
    assert.deepEqual(out, data, `step ${step}`);
  }
});

Deno.test("Inflater: a corrupt stream reports an error, and keeps reporting it", async () => {
  const inflater = new Inflater();
  const first = await inflater.push(new Uint8Array([0x78, 0xda, 0xff, 0xff, 0xff, 0x00]));
  assert.notEqual(first.error, undefined);
  const again = await inflater.push(new Uint8Array([1, 2, 3]));
  assert.notEqual(again.error, undefined);
  assert.equal(again.output.length, 0);
  inflater.close();
});
