import assert from "node:assert/strict";
import { buildLfs51Image, gzipForLfs, layOutLfs51 } from "../../tests/support/lfs_image_builder.ts";
import { compileLua51 } from "../../tests/support/lua51_compile.ts";
import { checkLfs51File, inspectLfs51Flash, lfs51WritePlan, relocateLfs51 } from "./lfs_image51.ts";
import { inflateGzip } from "./lfs_inflate.ts";
import { readLua51Chunk } from "./lfs_lua51_chunk.ts";

const FLOAT = { partitionBytes: 0x10000, numberType: "float" as const };
const IMAGE = buildLfs51Image([{ name: "m.lua", source: "return { x = 1 }" }], {
  compile: compileLua51,
});
const raw = inflateGzip(IMAGE).output;

/** The same image with its first words changed, gzipped again. */
function patched(words: Record<number, number>, extra = 0): Uint8Array {
  const out = new Uint8Array(raw.length + extra);
  out.set(raw);
  const view = new DataView(out.buffer);
  for (const [at, v] of Object.entries(words)) view.setUint32(Number(at) * 4, v >>> 0, true);
  return gzipForLfs(out);
}

Deno.test("checkLfs51File: a good image passes with its size, signature and relocation bits", () => {
  const check = checkLfs51File(IMAGE, FLOAT);
  assert.ok(check.ok);
  const view = new DataView(raw.buffer);
  assert.equal(check.payload.flashSize, view.getUint32(4, true));
  assert.equal(check.payload.signature, 0xfafaa154);
  assert.equal(check.payload.relocations.length, Math.ceil(check.payload.flashSize / 128));
});

Deno.test("checkLfs51File: each header check, in the firmware's order, with its message", () => {
  const size = new DataView(raw.buffer).getUint32(4, true);
  const cases: [Uint8Array, string][] = [
    [patched({ 0: 0xfafaa254 }), "Incorrect LFS header version"],
    [patched({ 0: 0xfafaa150 }), "Incorrect LFS build type"],
    [patched({ 0: 0xfafaa156 }), "incorrect LFS header signature"],
    [patched({ 1: 0x20000 }), "LFS Image too big for configured LFS region"],
    [patched({ 1: size - 2 }), "LFS length mismatch"],
    [patched({}, 8), "LFS length mismatch"],
  ];
  for (const [file, message] of cases) {
    assert.deepEqual(checkLfs51File(file, FLOAT), { ok: false, message });
  }
  assert.deepEqual(
    checkLfs51File(patched({ 0: 0xfafaa155 }), FLOAT).ok,
    true,
    "the absolute bit is allowed",
  );
  assert.deepEqual(checkLfs51File(IMAGE, { ...FLOAT, partitionBytes: 0 }), {
    ok: false,
    message: "No LFS partition allocated",
  });
  const integer = { ...FLOAT, numberType: "integer" as const };
  assert.deepEqual(checkLfs51File(IMAGE, integer), {
    ok: false,
    message: "Incorrect LFS build type",
  });
  const stored = (length: number) => {
    const file = IMAGE.slice();
    new DataView(file.buffer).setUint32(file.length - 4, length, true);
    return checkLfs51File(file, FLOAT);
  };
  assert.deepEqual(stored(1), { ok: false, message: "LFS length mismatch" });
  assert.deepEqual(stored(raw.length + 4), {
    ok: false,
    message: "checksum error on LFS image file",
  });
  const crc = IMAGE.slice();
  crc[crc.length - 8]! ^= 1;
  assert.deepEqual(checkLfs51File(crc, FLOAT), {
    ok: false,
    message: "checksum error on LFS image file",
  });
});

Deno.test("relocateLfs51 and the write plan: addresses become mapped ones; the signature is written last", () => {
  const check = checkLfs51File(IMAGE, FLOAT);
  assert.ok(check.ok);
  const base = 0x40280000;
  const flash = relocateLfs51(check.payload, base);
  const view = new DataView(flash.buffer);
  const main = view.getUint32(8, true);
  assert.ok(main > base && main < base + flash.length, main.toString(16));
  assert.equal(main, base + 4 * new DataView(raw.buffer).getUint32(8, true));
  const plan = lfs51WritePlan(flash);
  assert.equal(plan.writes[0]!.data[0], 0x5c, "in progress first");
  assert.deepEqual(plan.writes.at(-1), { offset: 0, data: flash.slice(0, 4) });
  const options = { ...FLOAT, mappedBase: base };
  assert.deepEqual(inspectLfs51Flash(flash, options), {
    state: "loaded",
    flashSize: flash.length,
    mainProto: main,
  });
  assert.deepEqual(inspectLfs51Flash(plan.writes[0]!.data, options), {
    state: "refused",
    message: "Flash sig not correct: 0xfafaa15c vs 0xfafaa154\n",
  });
  const elsewhere = { ...options, mappedBase: 0x40300000 };
  assert.match(
    (inspectLfs51Flash(flash, elsewhere) as { message: string }).message,
    /^Flash size check failed: 0x[0-9a-f]{8} vs 0xFFFFFFFF; 0x[0-9a-f]{8} >= 0x[0-9a-f]{8}\n$/,
  );
  assert.deepEqual(inspectLfs51Flash(new Uint8Array(32), options), {
    state: "none",
    message: "No LFS image loaded\n",
  });
});

Deno.test("layOutLfs51: integer builds store 8-byte constants and their own signature", () => {
  const main = readLua51Chunk(compileLua51("return 5", "=x"));
  const out = layOutLfs51(main, "integer");
  assert.equal(new DataView(out.buffer).getUint32(0, true), 0xfafaa152);
});
