import assert from "node:assert/strict";
import zlib from "node:zlib";
import { crc32, DICTIONARY_WINDOW, inflateGzip } from "./lfs_inflate.ts";

const text = (n: number) => new TextEncoder().encode("LFS ".repeat(n));

/** A gzip file of one fixed-Huffman block: the literals, then a copy of 3 at distance 1. */
function fixedBlock(literals: number[]): Uint8Array {
  const bits: number[] = [];
  const lsb = (v: number, n: number) => {
    for (let i = 0; i < n; i++) bits.push((v >> i) & 1);
  };
  const code = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push((v >> i) & 1);
  };
  lsb(1, 1);
  lsb(1, 2);
  for (const l of literals) code(0x30 + l, 8);
  code(1, 7); // length symbol 257: 3 bytes
  code(0, 5); // distance code 0: 1
  code(0, 7); // end of block
  const body = Array.from(
    { length: Math.ceil(bits.length / 8) },
    (_, i) => bits.slice(i * 8, i * 8 + 8).reduce((a, b, j) => a | (b << j), 0),
  );
  return Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3, ...body, 0, 0, 0, 0, 0, 0, 0, 0]);
}

Deno.test("inflateGzip: fixed, dynamic and stored blocks, with the stored CRC and length", () => {
  for (const level of [0, 1, 9]) {
    // (a unique first byte: the loader refuses references to it)
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i === 0 ? 255 : (i * 7) % 251));
    const result = inflateGzip(zlib.gzipSync(data, { level, windowBits: 14 }));
    assert.equal(result.failure, undefined, `level ${level}`);
    assert.deepEqual(result.output, data);
    assert.equal(result.storedCrc, crc32(data));
    assert.equal(result.storedLength, data.length);
  }
});

Deno.test("inflateGzip: the loader's window: a reference past 16 KiB or to the first byte is refused", () => {
  let seed = 12345;
  const far = Uint8Array.from({ length: DICTIONARY_WINDOW + 4000 }, () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  });
  far.copyWithin(DICTIONARY_WINDOW + 1000, 100, 164);
  const wide = inflateGzip(zlib.gzipSync(far, { windowBits: 15 }));
  assert.equal(wide.failure, "dictionary");
  assert.ok(wide.output.length > DICTIONARY_WINDOW, "what came out before is kept");
  // a literal then a copy at distance 1 of the very first byte; then one with a byte before it
  assert.equal(inflateGzip(fixedBlock([0x61])).failure, "dictionary");
  assert.deepEqual(inflateGzip(fixedBlock([0x62, 0x61])).output, new TextEncoder().encode("baaaa"));
  assert.equal(inflateGzip(zlib.gzipSync(far, { windowBits: 14 })).failure, undefined);
});

Deno.test("inflateGzip: a bad header, a bad stored length and block type 3 are data errors", () => {
  const good = zlib.gzipSync(text(50), { level: 0 });
  assert.equal(inflateGzip(Uint8Array.of(0x1f, 0x8c, 8, 0)).failure, "data");
  const reserved = good.slice();
  reserved[3] = 0x20;
  assert.equal(inflateGzip(reserved).failure, "data");
  const badLen = good.slice();
  badLen[13]! ^= 0xff; // NLEN of the stored block
  assert.equal(inflateGzip(badLen).failure, "data");
  const type3 = good.slice();
  type3[10] = 0x07; // final, type 3
  assert.equal(inflateGzip(type3).failure, "data");
  const named = zlib.gzipSync(text(10));
  const withName = Uint8Array.from([
    ...named.subarray(0, 3),
    8,
    ...named.subarray(4, 10),
    65,
    0,
    ...named.subarray(10),
  ]);
  assert.deepEqual(inflateGzip(withName).output, text(10), "a file name is skipped");
});
