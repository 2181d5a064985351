import assert from "node:assert/strict";
import { withNodemcu } from "../../tests/support/nodemcu_board.ts";

Deno.test("node: chip id from the MAC, flash id and size, info groups from the banner, boot reason", async () => {
  await withNodemcu(async (t) => {
    assert.equal(
      await t.run("=node.chipid(), node.flashid(), node.flashsize()"),
      `${0x123456}\t${0x1640ef}\t${4 << 20}\r\n`,
    );
    assert.equal(
      await t.run("=node.info()"),
      `3\t0\t0\t${0x123456}\t${0x1640ef}\t4096\t2\t40000000\r\n`,
    );
    assert.equal(
      await t.run(
        "hw = node.info('hw') print(hw.chip_id, hw.flash_size, hw.flash_mode, hw.flash_speed)",
      ),
      `${0x123456}\t4096\t2\t40000000\r\n`,
    );
    assert.equal(
      await t.run(
        "sw = node.info('sw_version') print(sw.git_branch, sw.git_commit_id, sw.node_version_major)",
      ),
      "dev\tcafe\t3\r\n",
    );
    assert.equal(
      await t.run(
        "b = node.info('build_config') print(b.ssl, b.modules, b.lfs_size, b.number_type)",
      ),
      `true\tfile,node,tmr\t${0x40000}\tfloat\r\n`,
    );
    assert.match(await t.run("node.info('nope')"), /bad argument #1 to 'info' \(invalid group\)/);
    assert.equal(await t.run("=node.bootreason()"), "1\t0\r\n", "power-on");
    const heaps = (await t.run("=node.heap(), node.heap(), node.heap()")).trim().split("\t").map(
      Number,
    );
    assert.ok(heaps.every((h) => h > 30_000 && h < 46_000), `${heaps}`);
    assert.ok(new Set(heaps).size > 1, "it varies");
    assert.equal(await t.run("=node.egc.setmode(node.egc.ALWAYS)"), "", "accepted (Lua 5.1 build)");
  }, {
    banner: {
      version: "3.0.0.0",
      lfs: "0x40000 bytes total capacity",
      branch: "dev",
      commit: "cafe",
      modules: ["file", "node", "tmr"],
      ssl: true,
    },
    board: { mac: "5c:cf:7f:12:34:56" },
  });
});

Deno.test("node: restart comes after the line; the reason is a software restart; files stay", async () => {
  await withNodemcu(async (t) => {
    await t.run('file.putcontents("keep.txt", "still here")');
    t.tap.clear();
    t.tap.type("node.restart() print('printed first')\r\n");
    const text = await t.tap.until(/powered by Lua.*> $/s);
    assert.match(text, /^node\.restart\(\) print\('printed first'\)\r\nprinted first\r\n/);
    assert.equal(await t.run("=node.bootreason()"), "2\t4\r\n");
    assert.equal(await t.run('=file.getcontents("keep.txt")'), "still here\r\n");
  });
});

Deno.test("node: task.post rejects a bad priority; input runs each complete line", async () => {
  await withNodemcu(async (t) => {
    assert.match(
      await t.run("node.task.post(3, print)"),
      /bad argument #1 to 'post' \(invalid {2}priority\)/,
    );
    assert.match(await t.run("node.task.post(1)"), /bad argument #2 to 'post'/);
    t.tap.clear();
    // Without its line end the text waits in the stdin pipe for the next line.
    t.tap.type("node.input('x = ') node.input('5\\n=x * 2\\n')\r\n");
    assert.match(await t.tap.until("10\r\n> "), /> > 10\r\n> $/);
  });
});

Deno.test("node: compile writes NAME.lc, which dofile and require prefer", async () => {
  await withNodemcu(async (t) => {
    await t.run("file.putcontents('m.lua', 'return { v = 1 }')");
    assert.equal(await t.run("node.compile('m.lua')"), "");
    assert.equal(await t.run("=file.exists('m.lc'), dofile('m.lc').v"), "true\t1\r\n");
    assert.match(await t.run("node.compile('m.txt')"), /stdin:1: not a \.lua file/);
  });
});

Deno.test("node: a Lua 5.3 build has no node.egc; 2.x has no setonerror and info() ignores groups", async () => {
  await withNodemcu(async (t) => {
    assert.equal(await t.run("=node.egc"), "nil\r\n");
  }, { banner: { version: "3.0.0.0", lua: "5.3.5" } });
  await withNodemcu(async (t) => {
    assert.equal(await t.run("=node.setonerror, select('#', node.info('hw'))"), "nil\t8\r\n");
  }, { banner: { version: "2.2.0.0" } });
});
