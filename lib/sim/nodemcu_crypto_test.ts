import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";
import { withNodemcu } from "../../tests/support/nodemcu_board.ts";

const WITH = ["bit", "crypto", "encoder", "file", "node", "tmr", "uart"];
/** A 3.x build from 2021 with crypto, encoder and bit. */
const BANNER = { version: "3.0.0.0", releaseDts: "202102010000", modules: WITH };
const hex = (algo: string, data: string) =>
  createHash(algo).update(Buffer.from(data, "latin1")).digest("hex");

Deno.test("crypto: hash, fhash, new_hash and hmac give the digests; encoder converts them", async () => {
  await withNodemcu(async (t) => {
    assert.equal(
      await t.run("=encoder.toHex(crypto.hash('md5', 'abc'))"),
      `${hex("md5", "abc")}\r\n`,
    );
    assert.equal(
      await t.run("=encoder.toHex(crypto.hash('SHA1', 'abc'))"),
      `${hex("sha1", "abc")}\r\n`,
    );
    await t.run("file.putcontents('f.bin', string.rep('\\0\\255', 3000))");
    assert.equal(
      await t.run("=encoder.toHex(crypto.fhash('sha256', 'f.bin'))"),
      `${hex("sha256", "\0\xff".repeat(3000))}\r\n`,
    );
    assert.equal(
      await t.run(
        "h = crypto.new_hash('sha512') h:update('ab') h:update('c') print(encoder.toHex(h:finalize()))",
      ),
      `${hex("sha512", "abc")}\r\n`,
    );
    assert.equal(
      await t.run("=encoder.toHex(crypto.hmac('sha1', 'data', 'key'))"),
      `${createHmac("sha1", "key").update("data").digest("hex")}\r\n`,
    );
    assert.match(await t.run("crypto.hash('md4', 'x')"), /stdin:1: unknown hash mech/);
    assert.match(await t.run("crypto.fhash('md5', 'none')"), /stdin:1: file does not exist/);
    assert.equal(
      await t.run("=crypto.toHex, crypto.toBase64"),
      "nil\tnil\r\n",
      "gone since late 2020",
    );
  }, { banner: BANNER });
});

Deno.test("encoder: hex and base64 both ways, with the firmware's errors", async () => {
  await withNodemcu(async (t) => {
    assert.equal(await t.run("=encoder.toBase64('\\0\\1\\2\\255')"), "AAEC/w==\r\n");
    assert.equal(await t.run("=encoder.fromBase64('AAEC/w==') == '\\0\\1\\2\\255'"), "true\r\n");
    assert.equal(await t.run("=encoder.fromHex('4E6f'), encoder.toHex('No')"), "No\t4e6f\r\n");
    assert.match(await t.run("encoder.fromHex('abc')"), /Invalid hex string/);
    assert.match(await t.run("encoder.fromBase64('A*==')"), /Invalid base64 string/);
  }, { banner: BANNER });
});

Deno.test("crypto: an image without crypto or encoder has nil globals; an older 3.0 build has crypto.toHex", async () => {
  await withNodemcu(async (t) => {
    assert.equal(await t.run("=crypto, encoder, bit"), "nil\tnil\tnil\r\n");
    assert.match(
      await t.run("crypto.fhash('sha1', 'x')"),
      /attempt to index global 'crypto' \(a nil value\)/,
    );
  });
  await withNodemcu(async (t) => {
    // nodemcu-uploader's verification: crypto.toHex(crypto.fhash('sha1', f)).
    await t.run("file.putcontents('a', 'abc')");
    assert.equal(
      await t.run("=crypto.toHex(crypto.fhash('sha1', 'a'))"),
      `${hex("sha1", "abc")}\r\n`,
    );
  }, {
    banner: { version: "3.0.0.0", releaseDts: "202009100000", modules: ["crypto", "file", "node"] },
  });
});

Deno.test("bit: 32-bit operations", async () => {
  await withNodemcu(async (t) => {
    assert.equal(
      await t.run("=bit.band(0xff, 0x3c), bit.bor(1, 2, 4), bit.bxor(5, 1), bit.bnot(0)"),
      "60\t7\t4\t-1\r\n",
    );
    assert.equal(
      await t.run("=bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.bit(4)"),
      "-2147483648\t15\t-4\t16\r\n",
    );
    assert.equal(
      await t.run("=bit.set(0, 1, 3), bit.clear(15, 0), bit.isset(4, 2), bit.isclear(4, 2)"),
      "10\t14\ttrue\tfalse\r\n",
    );
  }, { banner: BANNER });
});
