/**
 * File transfer against the simulated board (in process): what arrives is read back from the
 * board's own file system (the independent check) and, where the firmware has `uart`, through
 * `downloadFile`; the awkward Lua file is also run by the board's Lua, which must parse every
 * byte of it. Lua 5.1 and 5.3 firmware, with and without `crypto`/`encoder`.
 */

import assert from "node:assert/strict";
import {
  downloadFile,
  listFiles,
  removeFiles,
  runFile,
  UPLOAD_TEMP_NAME,
  uploadFile,
} from "../lib/lua/mod.ts";
import { allBytes, awkwardLua, CRYPTO_MODULES, luaSim } from "./support/lua_sim.ts";

for (const lua of ["5.1", "5.3"] as const) {
  Deno.test(`Lua ${lua}: a file holding every byte value goes up and comes back unchanged`, async () => {
    const sim = await luaSim({ lua });
    try {
      assert.equal(sim.session.facts.lua, lua, "the board runs the Lua its banner names");
      const data = allBytes();
      const up = await uploadFile(sim.session, { name: "all.bin", data });
      assert.equal(up.size, 1024);
      assert.equal(up.digestKind, "adler32", "no crypto in a default build");
      assert.deepEqual(sim.fs().read("all.bin"), data);
      assert.equal(sim.fs().exists(UPLOAD_TEMP_NAME), false, "the temporary name is gone");
      const down = await downloadFile(sim.session, "all.bin");
      assert.deepEqual(down.data, data);
    } finally {
      await sim.close();
    }
  });
}

Deno.test("a 20 KB Lua file with 300-character lines and ]] ]==] in strings arrives intact and runs", async () => {
  const sim = await luaSim({ lua: "5.1", modules: CRYPTO_MODULES });
  try {
    assert.equal(sim.session.facts.digest, "sha1", "crypto and encoder are built in");
    const source = awkwardLua();
    assert.ok(source.length >= 20_000);
    const up = await uploadFile(sim.session, { name: "awkward.lua", data: source });
    assert.match(up.digest, /^[0-9a-f]{40}$/);
    assert.deepEqual(sim.fs().read("awkward.lua"), source);
    const run = await runFile(sim.session, "awkward.lua");
    const entries = new TextDecoder().decode(source).split("\n").filter((l) => /^T\[/.test(l));
    assert.equal(run.output, `awkward\t${entries.length}\n`);
  } finally {
    await sim.close();
  }
});

Deno.test("50 small files: all uploaded, listed with their sizes, removed again", async () => {
  const sim = await luaSim({ lua: "5.3" });
  try {
    const files = Array.from({ length: 50 }, (_, i) => ({
      name: `m${String(i).padStart(2, "0")}.lua`,
      data: new TextEncoder().encode(`return ${i} -- ${"#".repeat(i)}\n`),
    }));
    for (const f of files) await uploadFile(sim.session, f);
    const listing = await listFiles(sim.session);
    assert.deepEqual(
      listing.files.map((f) => [f.name, f.size]),
      files.map((f) => [f.name, f.data.length]),
    );
    for (const f of files) assert.deepEqual(sim.fs().read(f.name), f.data);
    assert.ok(listing.fs !== undefined && listing.fs.total > listing.fs.used);
    const removed = await removeFiles(sim.session, files.map((f) => f.name));
    assert.equal(removed.length, 50);
    assert.deepEqual([...sim.fs().list().keys()], []);
    await assert.rejects(removeFiles(sim.session, ["gone.lua"]), /Not on the board/);
  } finally {
    await sim.close();
  }
});

Deno.test("an upload replaces the old file only once the new one is verified", async () => {
  const sim = await luaSim();
  try {
    await uploadFile(sim.session, { name: "app.lua", data: new TextEncoder().encode("v = 1\n") });
    const v2 = new TextEncoder().encode("v = 2 -- a longer second version\n");
    await uploadFile(sim.session, { name: "app.lua", data: v2 });
    assert.deepEqual(sim.fs().read("app.lua"), v2);
    const events = sim.events.filter((e) => e.type === "transfer-done").map((e) => e.type);
    assert.equal(events.length, 2);
  } finally {
    await sim.close();
  }
});
