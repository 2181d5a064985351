/**
 * Checks the image code against esptool v4.8.1 run as an external program (never imported):
 * esptool must read the images we build the way we do, its merge-bin must produce our bytes,
 * and its `esp8266_crc32` must agree with our v2 CRC. Skips, saying why, where esptool or
 * python3-serial is missing (see ../shared/peers/README.md); fails instead in CI
 * (tests/support/esptool.ts).
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { findEsptool } from "../../tests/support/esptool.ts";
import { buildImageV2 } from "../testing/build_image.ts";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { fillerBytes } from "../testing/filler_bytes.ts";
import { imageInfo } from "./image_info.ts";
import { mergeImages } from "./merge_images.ts";

const where = await findEsptool();
const missing = "skip" in where ? where.skip : undefined;
const PYTHON = "skip" in where ? "/usr/bin/python3" : where.python;
const ESPTOOL_DIR = "skip" in where ? "" : dirname(where.path);
/** Test names carry the reason when the tests are skipped. */
const why = missing === undefined ? "" : ` (skipped: ${missing})`;

async function python(args: string[]): Promise<string> {
  const out = await new Deno.Command(PYTHON, { args, cwd: ESPTOOL_DIR }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, text);
  return text;
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "nodeflash-image-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "esptool image_info reads our v1 and v2 images as we do" + why,
  ignore: missing !== undefined,
  fn: () =>
    withTempDir(async (dir) => {
      const fw = buildNodemcuFirmware({
        seed: 5,
        totalSize: 0x30000,
        flashMode: "dio",
        flashSize: "4MB",
      });
      const v2 = buildImageV2({
        irom: fillerBytes(1000, 3),
        segments: [{ address: 0x40100000, data: fillerBytes(100, 4) }],
        flashMode: "dout",
        flashSize: "2MB-c1",
        flashFreq: "80m",
      });
      for (const [name, bytes] of [["combined.bin", fw.combined], ["v2.bin", v2]] as const) {
        await Deno.writeFile(join(dir, name), bytes);
        const text = await python([
          "esptool.py",
          "--chip",
          "esp8266",
          "image_info",
          "--version",
          "2",
          join(dir, name),
        ]);
        const ours = imageInfo(bytes);
        assert.match(text, new RegExp(`Image version: ${ours.format === "v1" ? 1 : 2}`));
        assert.match(
          text,
          new RegExp(`Entry point: 0x${ours.entry.toString(16).padStart(8, "0")}`),
        );
        assert.match(text, new RegExp(`Flash size: ${ours.header.size}\\b`));
        assert.match(text, new RegExp(`Flash freq: ${ours.header.freq}`));
        assert.match(text, new RegExp(`Flash mode: ${ours.header.mode?.toUpperCase()}`));
        const checksum = ours.checksum.stored.toString(16).padStart(2, "0");
        assert.match(text, new RegExp(`Checksum: 0x${checksum} \\(valid\\)`));
        for (const s of ours.segments) {
          const row = `0x${s.length.toString(16).padStart(5, "0")}  0x${
            s.loadAddress.toString(16).padStart(8, "0")
          }  0x${s.fileOffset.toString(16).padStart(8, "0")}`;
          assert.ok(text.includes(row), `${name}: missing segment row ${row}\n${text}`);
        }
      }
    }),
});

Deno.test({
  name: "esptool merge_bin with header options gives the same bytes as mergeImages" + why,
  ignore: missing !== undefined,
  fn: () =>
    withTempDir(async (dir) => {
      const fw = buildNodemcuFirmware({ seed: 9, totalSize: 0x28000 });
      const [low, irom] = fw.parts;
      await Deno.writeFile(join(dir, low.name), low.data);
      await Deno.writeFile(join(dir, irom.name), irom.data);
      const out = join(dir, "merged.bin");
      await python([
        "esptool.py",
        "--chip",
        "esp8266",
        "merge_bin",
        "-o",
        out,
        "--flash_mode",
        "dout",
        "--flash_size",
        "2MB",
        "--flash_freq",
        "26m",
        "--fill-flash-size",
        "1MB",
        "0x0",
        join(dir, low.name),
        "0x10000",
        join(dir, irom.name),
      ]);
      const ours = mergeImages(fw.parts, {
        flashMode: "dout",
        flashSize: "2MB",
        flashFreq: "26m",
        padTo: "1MB",
      });
      assert.deepEqual(await Deno.readFile(out), ours.data);
    }),
});

Deno.test({
  name: "esptool's esp8266_crc32 agrees with the CRC our v2 images carry" + why,
  ignore: missing !== undefined,
  fn: () =>
    withTempDir(async (dir) => {
      const script = "import sys\nfrom esptool.bin_image import esp8266_crc32\n" +
        "for p in sys.argv[1:]:\n d = open(p, 'rb').read()\n" +
        " print(esp8266_crc32(d[:-4]), int.from_bytes(d[-4:], 'little'))\n";
      const paths: string[] = [];
      for (let seed = 1; seed <= 8; seed++) {
        const path = join(dir, `v2_${seed}.bin`);
        await Deno.writeFile(
          path,
          buildImageV2({ irom: fillerBytes(seed * 64, seed), segments: [] }),
        );
        paths.push(path);
      }
      const lines = (await python(["-c", script, ...paths])).trim().split("\n");
      assert.equal(lines.length, 8);
      for (const line of lines) {
        const [theirs, stored] = line.split(" ");
        assert.equal(theirs, stored);
      }
    }),
});
