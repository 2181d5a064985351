/**
 * Loading an LFS image on the simulated board, as the firmware's Lua version does it (Lua 5.1:
 * `LFS region updated.  Restarting.` and a watchdog reset; Lua 5.3: a restart, `Erasing LFS
 * from flash addr`, a second restart), then the image's modules in `node.LFS`. Images come from
 * the test-image builders (tests/support/lfs_image_builder.ts, lfs53_image_builder.ts).
 */

import assert from "node:assert/strict";
import { isNodeflashError } from "../lib/errors.ts";
import { loadLfs } from "../lib/lua/mod.ts";
import { buildLfs51Image } from "./support/lfs_image_builder.ts";
import { buildLfs53Image } from "./support/lfs53_image_builder.ts";
import { compileLua51 } from "./support/lua51_compile.ts";
import { luaSim } from "./support/lua_sim.ts";

const LFS = "0x20000 bytes total capacity";

Deno.test("lfs on a Lua 5.1 board: reload, the watchdog restart, the modules listed and callable", async () => {
  const sim = await luaSim({ lua: "5.1", lfs: LFS });
  try {
    assert.equal(sim.session.facts.lfs, "node.LFS");
    const image = buildLfs51Image([
      { name: "hello.lua", source: "return 'hi from LFS'" },
      { name: "sum.lua", source: "local a, b = ... return a + b" },
    ], { compile: compileLua51 });
    const result = await loadLfs(sim.session, { name: "lfs.img", data: image });
    assert.deepEqual(result.modules, ["hello", "sum"]);
    assert.ok(
      result.messages.includes("LFS region updated.  Restarting."),
      result.messages.join("|"),
    );
    assert.ok(sim.events.some((e) => e.type === "lfs" && e.step === "restart"));
    assert.equal(await sim.session.repl.exec('print(node.LFS.get("hello")())'), "hi from LFS");
    assert.equal(await sim.session.repl.exec("print(node.LFS.get('sum')(2, 3))"), "5");
  } finally {
    await sim.close();
  }
});

Deno.test("lfs on a Lua 5.1 board: a damaged image is refused with the firmware's words", async () => {
  const sim = await luaSim({ lua: "5.1", lfs: LFS });
  try {
    const image = buildLfs51Image([{ name: "m.lua", source: "return 1" }], {
      compile: compileLua51,
    });
    image[image.length - 6]! ^= 0xff; // inside the gzip trailer's CRC
    const error = await loadLfs(sim.session, { name: "lfs.img", data: image }).catch((e) => e);
    assert.ok(isNodeflashError(error), String(error));
    assert.equal(error.code, "lua/lfs-rejected");
    assert.match(error.message, /checksum|image/i);
    // the board is still at its prompt, with no restart
    assert.equal(await sim.session.repl.exec("print(7*6)"), "42");

    const plain = compileLua51("return 1", "=m");
    await assert.rejects(loadLfs(sim.session, { name: "m.lc", data: plain }), /plain Lua bytecode/);
  } finally {
    await sim.close();
  }
});

Deno.test("lfs on a Lua 5.3 board: two restarts, 'Erasing LFS', then the modules listed", async () => {
  const sim = await luaSim({ lua: "5.3", lfs: LFS });
  try {
    const result = await loadLfs(sim.session, {
      name: "lfs.img",
      data: buildLfs53Image(["alpha", "beta"]),
    });
    assert.deepEqual(result.modules?.slice().sort(), ["alpha", "beta"]);
    assert.ok(result.messages.some((m) => m.startsWith("Erasing LFS from flash addr")));
  } finally {
    await sim.close();
  }
});
