import assert from "node:assert/strict";
import { FlashFile } from "./flash_file.ts";
import { NorFlash } from "./nor_flash.ts";

Deno.test("FlashFile: created erased, saves only changed sectors, reloads, refuses a wrong size", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/flash.bin`;
  try {
    const file = FlashFile.open(path, 0x20000);
    assert.equal((await Deno.stat(path)).size, 0x20000);
    assert.ok(file.contents.every((b) => b === 0xff));
    const flash = new NorFlash(0x20000, {
      contents: file.contents,
      onChange: (s) => file.markDirty(s),
    });
    flash.program(0x1ffff, new Uint8Array([0x42]));
    flash.program(0x2000, new Uint8Array(0x2000));
    assert.equal(file.dirtySectors, 3);
    assert.equal(file.save(flash), 3);
    assert.equal(file.save(flash), 0);
    const again = FlashFile.open(path, 0x20000);
    assert.equal(again.contents[0x1ffff], 0x42);
    assert.equal(again.contents[0x3fff], 0);
    assert.equal(again.contents[0x4000], 0xff);
    assert.throws(() => FlashFile.open(path, 0x10000), { code: "sim/flash-file-size" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FlashFile: a file removed while the board runs comes back whole at the next save", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/flash.bin`;
  try {
    const file = FlashFile.open(path, 0x20000);
    const flash = new NorFlash(0x20000, {
      contents: file.contents,
      onChange: (s) => file.markDirty(s),
    });
    flash.program(0x1000, new Uint8Array([1, 2, 3]));
    file.save(flash);
    await Deno.remove(path);
    flash.program(0x5000, new Uint8Array([9]));
    assert.equal(file.save(flash), 32, "every sector written: the file is new");
    const back = FlashFile.open(path, 0x20000).contents;
    assert.deepEqual([...back.subarray(0x1000, 0x1003)], [1, 2, 3], "what was saved before too");
    assert.equal(back[0x5000], 9);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
