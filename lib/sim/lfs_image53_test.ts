import assert from "node:assert/strict";
import { buildLfs53Image } from "../../tests/support/lfs53_image_builder.ts";
import { readLfs53Image } from "./lfs_image53.ts";

const BUILD = { numberSize: 4 as const };

Deno.test("readLfs53Image: modules, time and seed of an image in NodeMCU's LFS dump format", () => {
  const names = ["a", "b".repeat(45), "_init"];
  const image = readLfs53Image(buildLfs53Image(names, { time: 1700000999, seed: 77 }), BUILD);
  assert.deepEqual(image.modules, names);
  assert.equal(image.timestamp, 1700000999);
  assert.equal(image.seed, 77);
  assert.equal(image.stringCount, 6);
});

Deno.test("readLfs53Image: the loader's messages for the wrong kind of file", () => {
  const good = buildLfs53Image(["m"]);
  const edit = (at: number, value: number) => {
    const copy = good.slice();
    copy[at] = value;
    return copy;
  };
  const cases: [Uint8Array, string][] = [
    [edit(0, 0x1f), "invalid header in"],
    [edit(1, 0x4d), "not a"],
    [edit(4, 0x51), "version mismatch in"],
    [edit(5, 10), "format mismatch in"],
    [edit(7, 0), "corrupted"],
    [edit(12, 8), "int size mismatch in"],
    [edit(15, 8), "lua_Number size mismatch in"],
    [good.subarray(0, good.length - 3), "truncated"],
  ];
  for (const [file, why] of cases) {
    assert.throws(() => readLfs53Image(file, BUILD), {
      message: `(null): ${why} precompiled chunk`,
    });
  }
  assert.throws(() => readLfs53Image(good, { numberSize: 8 }), /lua_Integer size mismatch in/);
});
