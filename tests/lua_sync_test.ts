/**
 * `syncFiles` against the simulated board: only what differs is written (counted in what was
 * typed at the board, and checked in the board's own file system), `delete` removes extras, and
 * an unchanged folder costs two exchanges.
 */

import assert from "node:assert/strict";
import { type LocalFile, syncFiles } from "../lib/lua/mod.ts";
import { luaSim } from "./support/lua_sim.ts";

const text = (s: string) => new TextEncoder().encode(s);

function folder(version: number): LocalFile[] {
  return Array.from({ length: 6 }, (_, i) => ({
    name: i === 5 ? "lib/util.lua" : `f${i}.lua`,
    path: `src/f${i}.lua`,
    data: text(`-- file ${i}\nreturn ${i === 2 ? version : i}\n`),
  }));
}

/** How many uploads were typed at the board since `from` (each opens the temporary file once). */
function uploadsTyped(
  events: { type: string; direction?: string; data?: Uint8Array }[],
  from: number,
) {
  const typed = events.slice(from).filter((e) => e.type === "console" && e.direction === "out")
    .map((e) => new TextDecoder("latin1").decode(e.data)).join("");
  return (typed.match(/__nfo\(/g) ?? []).length;
}

Deno.test("sync writes only the file that changed, and --delete removes what the folder lacks", async () => {
  const sim = await luaSim();
  try {
    const first = await syncFiles(sim.session, folder(1));
    assert.equal(first.uploaded.length, 6);
    assert.deepEqual(first.unchanged, []);

    // same length, different content: only a digest tells them apart
    let mark = sim.events.length;
    const second = await syncFiles(sim.session, folder(7));
    assert.deepEqual(second.uploaded.map((u) => u.name), ["f2.lua"]);
    assert.equal(second.unchanged.length, 5);
    assert.equal(uploadsTyped(sim.events, mark), 1);
    assert.deepEqual(sim.fs().read("f2.lua"), text("-- file 2\nreturn 7\n"));

    mark = sim.events.length;
    const third = await syncFiles(sim.session, folder(7));
    assert.deepEqual(third.uploaded, []);
    assert.equal(uploadsTyped(sim.events, mark), 0);

    sim.fs().write("stale.lua", text("old\n"));
    const kept = await syncFiles(sim.session, folder(7));
    assert.deepEqual(kept.deleted, []);
    assert.ok(sim.fs().exists("stale.lua"), "nothing is removed without delete");
    const pruned = await syncFiles(sim.session, folder(7), { delete: true });
    assert.deepEqual(pruned.deleted, ["stale.lua"]);
    assert.deepEqual([...sim.fs().list().keys()].sort(), folder(7).map((f) => f.name).sort());
  } finally {
    await sim.close();
  }
});
