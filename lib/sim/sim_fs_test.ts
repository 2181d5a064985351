import assert from "node:assert/strict";
import { type FsStorage, MAX_NAME, SimFs } from "./sim_fs.ts";
import { PAYLOAD } from "./sim_fs_pages.ts";

function storage(size = 0x40000) {
  const flash = new Uint8Array(size).fill(0xff);
  const counts = { erases: 0, programs: 0 };
  let powered = true;
  let programsLeft = Infinity;
  const s: FsStorage = {
    read: (a, n) => flash.slice(a, a + n),
    eraseSector: (a) => powered && (counts.erases++, flash.fill(0xff, a, a + 0x1000), true),
    program: (a, d) => {
      if (!powered || programsLeft-- <= 0) return (powered = false);
      counts.programs++;
      d.forEach((b, i) => (flash[a + i]! &= b));
      return true;
    },
  };
  return {
    s,
    flash,
    counts,
    cut: () => (powered = false),
    cutAfter: (programs: number) => (programsLeft = programs),
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const pattern = (n: number, seed = 1) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

Deno.test("SimFs: blank flash does not mount; a format erases every sector once and mounts empty", async () => {
  const st = storage();
  assert.equal(SimFs.mount(st.s, 0x10000, 0x40000), undefined);
  const done: number[] = [];
  const fs = await SimFs.format(st.s, 0x10000, 0x40000, (n) => (done.push(n), true));
  assert.ok(fs);
  assert.equal(done.length, 0x30, "one call per sector");
  assert.deepEqual([...fs.list()], []);
  assert.equal(st.counts.erases, 0x30);
  assert.ok(SimFs.mount(st.s, 0x10000, 0x40000));
  assert.equal(SimFs.mount(st.s, 0x20000, 0x40000), undefined, "another area: not ours");
  assert.deepEqual(fs.area, { address: 0x10000, size: 0x30000 });
});

Deno.test("SimFs: files are written, replaced, removed, renamed and read back after a remount", async () => {
  const st = storage();
  const fs = (await SimFs.format(st.s, 0x10000, 0x40000))!;
  assert.ok(fs.write("init.lua", bytes('print("hi")')));
  assert.ok(fs.write("big.bin", pattern(0x5000)));
  assert.ok(fs.write("init.lua", bytes("x=1")));
  assert.ok(fs.write("www/index.html", bytes("<p>")), "a slash is an ordinary character");
  const again = SimFs.mount(st.s, 0x10000, 0x40000)!;
  assert.deepEqual([...again.list()].sort(), [
    ["big.bin", 0x5000],
    ["init.lua", 3],
    ["www/index.html", 3],
  ]);
  assert.deepEqual(again.read("big.bin"), pattern(0x5000));
  assert.deepEqual(again.readAt("big.bin", 0x4ffe, 10), pattern(0x5000).slice(0x4ffe));
  assert.ok(again.remove("big.bin"));
  assert.equal(again.remove("big.bin"), false);
  assert.equal(again.rename("init.lua", "www/index.html"), false, "the target exists");
  assert.ok(again.rename("init.lua", "main.lua"));
  assert.deepEqual([...SimFs.mount(st.s, 0x10000, 0x40000)!.list()].sort(), [
    ["main.lua", 3],
    ["www/index.html", 3],
  ]);
});

Deno.test("SimFs: a write programs the pages it fills; the partial last page waits for the flush; no erase", async () => {
  const st = storage();
  const fs = (await SimFs.format(st.s, 0x10000, 0x40000))!;
  const erases = st.counts.erases;
  assert.ok(fs.create("log.txt"));
  let programs = st.counts.programs;
  // Two and a half pages: the two full ones go to flash now, with the header's new size.
  assert.ok(fs.writeAt("log.txt", 0, pattern(PAYLOAD * 2 + 100)));
  const written = st.counts.programs - programs;
  assert.ok(written >= 4 && written <= 8, `${written} programs for two pages and a header`);
  // Cut the power now: a remount sees the two full pages only.
  const before = SimFs.mount(st.s, 0x10000, 0x40000)!;
  assert.equal(before.size("log.txt"), PAYLOAD * 2);
  programs = st.counts.programs;
  assert.ok(fs.flush("log.txt"));
  assert.ok(st.counts.programs - programs >= 2, "the last page and the header");
  assert.deepEqual(
    SimFs.mount(st.s, 0x10000, 0x40000)!.read("log.txt"),
    pattern(PAYLOAD * 2 + 100),
  );
  assert.equal(st.counts.erases, erases, "writing into free pages erases nothing");
  const { used, total } = fs.usage();
  assert.equal(used, 4 * PAYLOAD, "three data pages and the header");
  assert.equal(total, (0x30 - 1) * 15 * PAYLOAD);
});

Deno.test("SimFs: rewriting files in a small area collects garbage (erases) and keeps every file intact", async () => {
  const st = storage(0x20000);
  const fs = (await SimFs.format(st.s, 0x10000, 0x18000))!;
  const erases = st.counts.erases;
  assert.ok(fs.write("keep.bin", pattern(3000, 7)));
  for (let i = 0; i < 40; i++) assert.ok(fs.write("churn.bin", pattern(2000, i)), `round ${i}`);
  assert.ok(st.counts.erases > erases, "deleted pages were reclaimed");
  const again = SimFs.mount(st.s, 0x10000, 0x18000)!;
  assert.deepEqual(again.read("keep.bin"), pattern(3000, 7));
  assert.deepEqual(again.read("churn.bin"), pattern(2000, 39));
  assert.equal(again.write("too-big", pattern(0x8000)), false, "more than the area holds");
});

Deno.test("SimFs: a power cut in the middle of a write leaves the flushed file as it was", async () => {
  for (let cut = 0; cut < 12; cut++) {
    const st = storage(0x20000);
    const fs = (await SimFs.format(st.s, 0x10000, 0x20000))!;
    assert.ok(fs.write("a.lua", pattern(600, 1)));
    assert.ok(fs.write("b.lua", pattern(50, 2)));
    st.cutAfter(cut);
    fs.writeAt("a.lua", 0, pattern(600, 9));
    fs.flush("a.lua");
    const again = SimFs.mount(st.s, 0x10000, 0x20000);
    assert.ok(again, `cut after ${cut} programs`);
    const a = again.read("a.lua")!;
    assert.equal(a.length, 600, `cut after ${cut}: the size stays`);
    assert.ok(
      a.every((b, i) => b === pattern(600, 1)[i] || b === pattern(600, 9)[i]),
      `cut after ${cut}: each page old or new, never garbage`,
    );
    assert.deepEqual(again.read("b.lua"), pattern(50, 2));
  }
});

Deno.test("SimFs: a long name, a full area and a dead flash refuse the write", async () => {
  const st = storage();
  const fs = (await SimFs.format(st.s, 0x10000, 0x20000))!;
  assert.equal(fs.write("x".repeat(MAX_NAME + 1), bytes("1")), false);
  assert.ok(fs.write("x".repeat(MAX_NAME), bytes("1")));
  assert.equal(fs.create(""), false);
  assert.equal(fs.write("huge", new Uint8Array(0x10000)), false);
  assert.ok(fs.write("a", bytes("1")));
  st.cut();
  assert.equal(fs.write("a", bytes("2")), false);
  assert.equal(SimFs.formatNow(st.s, 0x10000, 0x20000), undefined);
});

Deno.test("SimFs: a first sector that is not ours does not mount; a stopped format gives nothing", async () => {
  const st = storage();
  const fs = (await SimFs.format(st.s, 0x10000, 0x40000))!;
  fs.write("f", bytes("data"));
  st.flash[0x10000 + 3] = 0;
  assert.equal(SimFs.mount(st.s, 0x10000, 0x40000), undefined);
  assert.equal(await SimFs.format(st.s, 0x10000, 0x40000, (n) => n < 3), undefined);
  assert.ok(SimFs.formatNow(st.s, 0x10000, 0x40000));
});
