/**
 * The image tools through the CLI, no board needed: `image-info` reads what the bytes say (the
 * expectations here are read from the bytes by hand, not from the library), and `merge` puts
 * files at their addresses into one image, patching the header only when asked.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const FIRMWARE = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB", flashMode: "dio" });
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const hex = (n: number, width = 8) => `0x${n.toString(16).padStart(width, "0")}`;

/** The v1 image's segments and stored checksum, walked by hand. */
function walk(image: Uint8Array) {
  const segments: Array<{ load: number; length: number; offset: number }> = [];
  let at = 8;
  let sum = 0xef;
  for (let i = 0; i < image[1]!; i++) {
    const length = u32(image, at + 4);
    segments.push({ load: u32(image, at), length, offset: at }); // its 8-byte header, as esptool
    for (const b of image.subarray(at + 8, at + 8 + length)) sum ^= b;
    at += 8 + length;
  }
  const end = (at + 16) & ~15; // the checksum byte ends the 16-byte-aligned block
  return { segments, computed: sum, storedAt: end - 1 };
}

Deno.test("image-info: header, entry, every segment, checksum and the NodeMCU banner, as the bytes say", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/nodemcu.bin`;
    const image = FIRMWARE.combined;
    await Deno.writeFile(file, image);
    const run = await runCli(["image-info", file]);
    assert.equal(run.code, 0, run.stderr);
    const { segments, computed, storedAt } = walk(image);
    assert.equal(image[storedAt], computed, "the sample image's checksum is right");
    assert.match(run.stdout, /ESP8266 v1 image, 262144 bytes/);
    assert.match(run.stdout, /^flash mode: dio$/m); // byte 2 = 2
    assert.equal(image[2], 2);
    assert.match(run.stdout, /^flash size: 4MB$/m); // high nibble of byte 3 = 4
    assert.equal(image[3]! >> 4, 4);
    assert.match(run.stdout, new RegExp(`^entry ${hex(u32(image, 4))}$`, "m"));
    assert.match(run.stdout, new RegExp(`^segments: ${segments.length}$`, "m"));
    for (const [i, s] of segments.entries()) {
      const line = `  ${i + 1}: load ${hex(s.load)}, ${s.length} bytes at file offset ${
        hex(s.offset)
      }`;
      assert.ok(run.stdout.includes(line), `${line}\n${run.stdout}`);
    }
    assert.match(run.stdout, /^checksum: valid$/m);
    assert.match(run.stdout, /^NodeMCU: version 3\.0\.0\.0, branch release, .*Lua 5\.1\.4/m);

    // One flipped byte in the last segment: the checksum no longer matches, and says both values.
    const broken = image.slice();
    const last = segments.at(-1)!;
    broken[last.offset + 8] = broken[last.offset + 8]! ^ 0x5a; // its first data byte
    await Deno.writeFile(file, broken);
    const bad = await runCli(["image-info", file]);
    assert.equal(bad.code, 0, "image-info reports; it does not judge");
    assert.match(
      bad.stdout,
      new RegExp(
        `^checksum: invalid \\(stored ${hex(computed, 2)}, computed ${hex(computed ^ 0x5a, 2)}\\)$`,
        "m",
      ),
    );
    const json = await runCli(["image-info", file, "--json"]);
    const result = json.json().at(-1)!;
    assert.equal(result.type, "result");
    assert.equal(result.entry, u32(image, 4));
    assert.deepEqual(result.checksum, {
      valid: false,
      stored: computed,
      computed: computed ^ 0x5a,
    });
  });
});

Deno.test("merge: the split build at its addresses gives the combined image; header patch and padding on request", async () => {
  await withTempDir(async (dir) => {
    const [low, high] = FIRMWARE.parts;
    await Deno.writeFile(`${dir}/0x00000.bin`, low.data);
    await Deno.writeFile(`${dir}/0x10000.bin`, high.data);
    const args = ["0x00000", `${dir}/0x00000.bin`, "0x10000", `${dir}/0x10000.bin`];
    const plain = await runCli(["merge", "-o", `${dir}/out.bin`, ...args, "--json"]);
    assert.equal(plain.code, 0, plain.stderr);
    const out = await Deno.readFile(`${dir}/out.bin`);
    assert.equal(out.length, 0x10000 + high.data.length);
    assert.deepEqual(out.subarray(0, low.data.length), low.data);
    assert.ok(out.subarray(low.data.length, 0x10000).every((b) => b === 0xff), "gap is 0xFF");
    assert.deepEqual(out.subarray(0x10000), high.data);
    const result = plain.json().at(-1)!;
    assert.equal(result.size, out.length);
    assert.equal((result.parts as unknown[]).length, 2);

    // The esptool spelling, a DOUT header and padding to 1MB.
    const patched = await runCli([
      "merge_bin",
      "-o",
      `${dir}/dout.bin`,
      "--flash-mode",
      "dout",
      "--pad-to",
      "1MB",
      ...args,
    ]);
    assert.equal(patched.code, 0, patched.stderr);
    const dout = await Deno.readFile(`${dir}/dout.bin`);
    assert.equal(dout.length, 1 << 20);
    assert.equal(dout[2], 3, "mode byte: DOUT");
    assert.deepEqual(dout.subarray(3, out.length), out.subarray(3), "nothing else changed");
    assert.equal(dout[0], out[0]);
    assert.ok(dout.subarray(out.length).every((b) => b === 0xff), "padded with 0xFF");

    // Overlapping parts are refused in one line, and nothing is written.
    const overlap = await runCli([
      "merge",
      "-o",
      `${dir}/never.bin`,
      "0x0",
      `${dir}/0x00000.bin`,
      "0x1000",
      `${dir}/0x10000.bin`,
    ]);
    assert.equal(overlap.code, 2);
    assert.match(overlap.stderr, /^error: .*overlap/im);
    assert.equal(overlap.stderr.trim().split("\n").filter((l) => l.startsWith("error:")).length, 1);
    await assert.rejects(Deno.stat(`${dir}/never.bin`));
  });
});
