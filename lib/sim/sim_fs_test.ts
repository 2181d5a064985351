import assert from "node:assert/strict";
import { type FsStorage, MAX_NAME, SimFs } from "./sim_fs.ts";

function storage(size = 0x40000) {
  const flash = new Uint8Array(size).fill(0xff);
  let erases = 0;
  let powered = true;
  const s: FsStorage = {
    read: (a, n) => flash.slice(a, a + n),
    eraseSector: (a) => powered && (erases++, flash.fill(0xff, a, a + 0x1000), true),
    program: (a, d) => powered && (d.forEach((b, i) => (flash[a + i]! &= b)), true),
  };
  return { s, flash, erases: () => erases, cut: () => (powered = false) };
}

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("SimFs: blank flash does not mount; a format erases every sector and mounts empty", async () => {
  const st = storage();
  assert.equal(SimFs.mount(st.s, 0x10000, 0x40000), undefined);
  const done: number[] = [];
  const fs = await SimFs.format(st.s, 0x10000, 0x40000, (n) => (done.push(n), true));
  assert.ok(fs);
  assert.equal(done.length, 0x30, "one call per sector");
  assert.deepEqual([...fs.list()], []);
  assert.equal(st.erases(), 0x30 + 1, "every sector, then the table's");
  assert.ok(SimFs.mount(st.s, 0x10000, 0x40000));
  assert.equal(SimFs.mount(st.s, 0x20000, 0x40000), undefined, "another area: not ours");
});

Deno.test("SimFs: files are written, replaced, removed, and read back after a remount", async () => {
  const st = storage();
  const fs = (await SimFs.format(st.s, 0x10000, 0x40000))!;
  assert.ok(fs.write("init.lua", bytes('print("hi")')));
  assert.ok(fs.write("big.bin", new Uint8Array(0x5000).fill(7)));
  assert.ok(fs.write("init.lua", bytes("x=1")));
  const again = SimFs.mount(st.s, 0x10000, 0x40000)!;
  assert.deepEqual([...again.list()].sort(), [["big.bin", 0x5000], ["init.lua", 3]]);
  assert.deepEqual(again.read("init.lua"), bytes("x=1"));
  assert.ok(again.remove("big.bin"));
  assert.equal(again.remove("big.bin"), false);
  assert.deepEqual([...SimFs.mount(st.s, 0x10000, 0x40000)!.list()], [["init.lua", 3]]);
  assert.equal(again.exists("init.lua"), true);
  assert.deepEqual(again.usage().total, 0x30000);
});

Deno.test("SimFs: a full area, a long name and a dead flash refuse the write and keep the old state", async () => {
  const st = storage();
  const fs = (await SimFs.format(st.s, 0x10000, 0x20000))!;
  assert.equal(fs.write("x".repeat(MAX_NAME + 1), bytes("1")), false);
  assert.equal(fs.write("huge", new Uint8Array(0x10000)), false);
  assert.equal(fs.exists("huge"), false);
  assert.ok(fs.write("a", bytes("1")));
  st.cut();
  assert.equal(fs.write("a", bytes("2")), false);
  assert.deepEqual(fs.read("a"), bytes("1"));
  assert.equal(SimFs.formatNow(st.s, 0x10000, 0x20000), undefined);
});

Deno.test("SimFs: a corrupt table does not mount; a stopped format gives nothing", async () => {
  const st = storage();
  const fs = (await SimFs.format(st.s, 0x10000, 0x40000))!;
  fs.write("f", bytes("data"));
  st.flash[0x10000 + 30] = 0;
  assert.equal(SimFs.mount(st.s, 0x10000, 0x40000), undefined);
  assert.equal(await SimFs.format(st.s, 0x10000, 0x40000, (n) => n < 3), undefined);
  assert.ok(SimFs.formatNow(st.s, 0x10000, 0x40000));
});
