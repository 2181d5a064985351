import assert from "node:assert/strict";
import { checkFiles, planFlash, type PlanOptions } from "./plan.ts";
import { buildImage } from "../testing/build_image.ts";
import { readFlashParams } from "../image/patch_image_header.ts";
import { parseImage } from "../image/parse_image.ts";
import { isNodeflashError } from "../errors.ts";
import { flashSizeRow } from "../chip/flash_size.ts";

const MB1 = flashSizeRow("1MB");

const file = (name: string, address: number, length: number) => ({
  name,
  address,
  data: new Uint8Array(length).fill(0x5a),
});
const options = (o: Partial<PlanOptions> = {}): PlanOptions => ({
  flashSize: flashSizeRow("4MB"),
  headerSize: "keep",
  flashMode: "keep",
  flashFreq: "keep",
  initData: { kind: "none" },
  ...o,
});
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.ok(isNodeflashError(e) && e.kind === "user", String(e));
    return e.code;
  }
  assert.fail("no error");
};

Deno.test("checkFiles: alignment, overlap, emptiness and size are user errors naming the file", () => {
  assert.equal(code(() => checkFiles([file("a.bin", 0x800, 4)])), "input/unaligned-address");
  assert.equal(
    code(() => checkFiles([file("a.bin", 0, 0x2000), file("b.bin", 0x1000, 4)])),
    "input/overlap",
  );
  assert.equal(code(() => checkFiles([file("a.bin", 0, 0)])), "input/empty-file");
  assert.equal(code(() => checkFiles([])), "input/no-files");
  assert.equal(
    code(() => checkFiles([file("big.bin", 0, (1 << 20) + 1)], { flashSize: MB1 })),
    "input/too-large",
  );
  assert.equal(
    code(() => checkFiles([file("tail.bin", 0xff000, 0x2000)], { flashSize: MB1 })),
    "input/past-end",
  );
  // files that touch end to end are fine
  checkFiles([file("a.bin", 0, 0x1000), file("b.bin", 0x1000, 4)], { flashSize: MB1 });
});

Deno.test("the messages name the file and its range", () => {
  assert.throws(
    () => checkFiles([file("a.bin", 0, 0x2000), file("b.bin", 0x1000, 4)]),
    /a\.bin \(0x00000000-0x00002000\) overlaps b\.bin \(0x00001000-0x00001004\)/,
  );
});

Deno.test("planFlash patches the header at 0x0 only, and keeps the image's checksum valid", () => {
  const image = buildImage({
    segments: [{ address: 0x40100000, data: new Uint8Array(64).fill(7) }],
    flashSize: "1MB",
  });
  const plan = planFlash(
    [{ name: "fw.bin", address: 0, data: image }, { ...file("d.bin", 0x10000, 8) }],
    options({
      headerSize: "set",
      flashMode: "dio",
    }),
  );
  const p = readFlashParams(plan.regions[0]!.data);
  assert.deepEqual([p.mode, p.size], ["dio", "4MB"]);
  assert.equal(parseImage(plan.regions[0]!.data).checksum.valid, true);
  assert.deepEqual(plan.regions[1]!.data, new Uint8Array(8).fill(0x5a));
});

Deno.test("init data goes at size - 0x4000 of the size the header announces", () => {
  for (
    const [size, at] of [["512KB", 0x7c000], ["1MB", 0xfc000], ["4MB", 0x3fc000]] as const
  ) {
    const image = buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(16) }] });
    const plan = planFlash(
      [{ name: "fw.bin", address: 0, data: image }],
      options({
        flashSize: flashSizeRow(size),
        headerSize: "set",
        initData: { kind: "builtin", which: "default" },
      }),
    );
    const init = plan.regions.find((r) => r.source === "init-data");
    assert.equal(init?.address, at, size);
    assert.equal(init?.data.length, 128);
  }
  // a 1 MB header kept on a 4 MB chip: the SDK looks at 0xfc000, so that is where it goes
  const image = buildImage({
    segments: [{ address: 0x40100000, data: new Uint8Array(16) }],
    flashSize: "1MB",
  });
  const kept = planFlash(
    [{ name: "fw.bin", address: 0, data: image }],
    options({
      initData: { kind: "builtin", which: "default" },
    }),
  );
  assert.equal(kept.layout.bytes, 1 << 20);
  assert.equal(kept.regions.at(-1)?.address, 0xfc000);
});

Deno.test("init data over a file is an overlap; odd-length files are padded with 0xFF", () => {
  assert.equal(
    code(() =>
      planFlash(
        [file("fs.bin", 0x3f0000, 0x10000)],
        options({ initData: { kind: "builtin", which: "v05" } }),
      )
    ),
    "input/overlap",
  );
  const plan = planFlash([file("odd.bin", 0x1000, 5)], options());
  assert.deepEqual(Array.from(plan.regions[0]!.data.slice(4)), [0x5a, 0xff, 0xff, 0xff]);
});
