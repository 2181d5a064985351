import assert from "node:assert/strict";
import { withNodemcu } from "../../tests/support/nodemcu_board.ts";

Deno.test("loader: require finds an uploaded module once, `.lc` before `.lua`, dots as slashes", async () => {
  await withNodemcu(async (t) => {
    await t.run(
      "file.putcontents('NTestish.lua', 'loads = (loads or 0) + 1 return { name = ... }')",
    );
    assert.equal(
      await t.run("=require('NTestish').name, require('NTestish').name, loads"),
      "NTestish\tNTestish\t1\r\n",
    );
    await t.run("file.putcontents('lib/util.lua', 'return \"util from lua\"')");
    assert.equal(await t.run("=require('lib.util')"), "util from lua\r\n");
    await t.run(
      "file.putcontents('m.lua', 'return \"source\"') file.putcontents('m.lc', string.dump((loadstring or load)('return \"compiled\"')))",
    );
    assert.equal(await t.run("=require('m')"), "compiled\r\n");
    assert.equal(await t.run("=require('file') == file, package.path"), "true\t?.lc;?.lua\r\n");
    assert.equal(
      await t.run("require('missing')"),
      "Lua error: \tstdin:1: module 'missing' not found:\r\n\tno field package.preload['missing']\r\n" +
        "\tno file 'missing.lc'\r\n\tno file 'missing.lua'\r\nstack traceback:\r\n" +
        "\t[C]: in function 'require'\r\n\tstdin:1: in main chunk\r\n\t[C]: ?\r\n\t[C]: ?\r\n",
    );
    await t.run("package.preload.pre = function(n) return 'pre ' .. n end");
    assert.equal(await t.run("=require('pre')"), "pre pre\r\n");
    await t.run(
      "package.loaders[3] = function(n) if n == 'lfsmod' then return function() return 'from lfs' end end end",
    );
    assert.equal(await t.run("=require('lfsmod')"), "from lfs\r\n", "an LFS _init's loader");
  });
});

Deno.test("loader: dofile and loadfile read the file system; errors as each version prints them", async () => {
  await withNodemcu(async (t) => {
    await t.run("file.putcontents('add.lua', 'local a, b = ... return (a or 1) + (b or 2)')");
    assert.equal(await t.run("=dofile('add.lua'), loadfile('add.lua')(10, 20)"), "3\t30\r\n");
    assert.match(await t.run("dofile('none.lua')"), /^Lua error: \tcannot open none\.lua: \r\n/);
    assert.equal(await t.run("=loadfile('none.lua')"), "nil\tcannot open none.lua: \r\n");
    await t.run("file.putcontents('bad.lua', 'x = = 1')");
    assert.match(
      await t.run("dofile('bad.lua')"),
      /^Lua error: \tbad\.lua:1: unexpected symbol near '='/,
    );
    await t.run("file.putcontents('boom.lua', '\\nerror(\"boom\")')");
    assert.match(
      await t.run("dofile('boom.lua')"),
      /boom\.lua:2: boom\r\nstack traceback:\r\n\t\[C\]: in function 'error'\r\n\tboom\.lua:2: in main chunk\r\n\t\[C\]: in function 'dofile'\r\n\tstdin:1: in main chunk/,
    );
  });
  await withNodemcu(async (t) => {
    assert.match(await t.run("dofile('none.lua')"), /^cannot open none\.lua\r\n/);
  }, { banner: { version: "2.2.0.0" } });
});
