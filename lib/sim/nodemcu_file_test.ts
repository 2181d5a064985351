import assert from "node:assert/strict";
import { withNodemcu } from "../../tests/support/nodemcu_board.ts";

/** A Lua expression for a string holding all 256 byte values, twice. */
const ALL_BYTES =
  "(function() local t = {} for i = 0, 511 do t[#t + 1] = string.char(i % 256) end " +
  "return table.concat(t) end)()";

Deno.test("file: binary contents survive a write, close, and a read in chunks", async () => {
  await withNodemcu(async (t) => {
    await t.run(`data = ${ALL_BYTES}`);
    assert.equal(await t.run('f = file.open("bin.dat", "w") print(f:write(data))'), "true\r\n");
    await t.run("f:close()");
    assert.equal(await t.run('=file.list()["bin.dat"]'), "512\r\n");
    assert.equal(
      await t.run(
        'f = file.open("bin.dat") a = f:read(100) b = f:read() c = f:read() print(#a, #b, c)',
      ),
      "100\t412\tnil\r\n",
      "read() reads up to 1024 bytes; nil at the end",
    );
    assert.equal(await t.run("f:close() print(a .. b == data)"), "true\r\n");
    // The flash holds exactly those bytes.
    const stored = t.board.nodemcu!.fs!.read("bin.dat")!;
    assert.deepEqual([...stored], Array.from({ length: 512 }, (_, i) => i % 256));
    assert.equal(await t.run('=file.getcontents("bin.dat") == data'), "true\r\n");
    assert.equal(await t.run('=file.putcontents("copy.dat", data)'), "true\r\n");
    assert.equal(await t.run('=file.getcontents("copy.dat") == data'), "true\r\n");
  });
});

Deno.test("file: names of 31 characters work; 32 raise the firmware's error; `/` is ordinary", async () => {
  await withNodemcu(async (t) => {
    const ok = "n".repeat(31);
    assert.equal(
      await t.run(`f = file.open("${ok}", "w") f:write("x") f:close() print(file.exists("${ok}"))`),
      "true\r\n",
    );
    const long = "n".repeat(32);
    assert.equal(
      await t.run(`file.open("${long}", "w")`),
      "Lua error: \tstdin:1: bad argument #1 to 'open' (filename invalid)\r\nstack traceback:\r\n" +
        "\t[C]: in function 'open'\r\n\tstdin:1: in main chunk\r\n\t[C]: ?\r\n\t[C]: ?\r\n",
    );
    assert.match(
      await t.run(`=file.exists("${long}")`),
      /bad argument #1 to 'exists' \(filename invalid\)/,
    );
    assert.match(
      await t.run(`file.remove("${long}")`),
      /bad argument #1 to 'remove' \(filename invalid\)/,
    );
    assert.match(
      await t.run(`file.rename("a", "${long}")`),
      /bad argument #2 to 'rename' \(filename invalid\)/,
    );
    // The check is on the part after the last `/`; SPIFFS then refuses a whole name over 31.
    assert.equal(await t.run('=file.putcontents("www/css/site.css", "p{}")'), "true\r\n");
    assert.equal(await t.run('=file.list("^www/")["www/css/site.css"]'), "3\r\n");
    assert.equal(await t.run(`=file.open("dir/${ok}", "w")`), "nil\r\n");
    assert.equal(await t.run('=file.getcontents("/FLASH/www/css/site.css")'), "p{}\r\n");
    assert.equal(await t.run('=file.open("/SD0/x.txt", "w")'), "nil\r\n", "no such drive");
  });
});

Deno.test("file: rename refuses an existing target; remove, exists, stat", async () => {
  await withNodemcu(async (t) => {
    await t.run('file.putcontents("a.lua", "A") file.putcontents("b.lua", "BB")');
    assert.equal(await t.run('=file.rename("a.lua", "b.lua")'), "false\r\n");
    assert.equal(await t.run('=file.getcontents("b.lua")'), "BB\r\n");
    assert.equal(
      await t.run('file.remove("b.lua") print(file.rename("a.lua", "b.lua"))'),
      "true\r\n",
    );
    assert.equal(await t.run('=file.exists("a.lua"), file.getcontents("b.lua")'), "false\tA\r\n");
    assert.equal(await t.run('=file.rename("nope", "x")'), "false\r\n");
    assert.equal(
      await t.run('s = file.stat("b.lua") print(s.name, s.size, s.is_dir, s.time.year)'),
      "b.lua\t1\tfalse\t1970\r\n",
    );
    assert.equal(await t.run('=file.stat("nope")'), "nil\r\n");
  });
});

Deno.test("file: open modes as SPIFFS maps them; append, r+, seek, readline, writeline", async () => {
  await withNodemcu(async (t) => {
    assert.equal(
      await t.run('=file.open("none.txt"), file.open("none.txt", "r+")'),
      "nil\tnil\r\n",
    );
    assert.equal(await t.run('=file.open("none.txt", "wb")'), "nil\r\n", '"wb" is read-only');
    await t.run('f = file.open("t.txt", "w") f:writeline("one") f:write("two") f:close()');
    assert.equal(
      await t.run('f = file.open("t.txt", "a") print(f:read())'),
      "nil\r\n",
      "a: write only",
    );
    await t.run('f:write("!") f:seek("set", 0) f:write("?") f:close()');
    assert.equal(
      await t.run('=file.getcontents("t.txt")'),
      "one\r\ntwo!?\r\n",
      "appends always go to the end",
    );
    await t.run('f = file.open("t.txt", "r+")');
    assert.equal(
      await t.run("=f:readline(), f:seek(), f:seek('end'), f:seek('set', 100)"),
      "one\r\n\t4\t9\tnil\r\n",
    );
    await t.run('f:seek("set", 4) f:write("TWO") f:close()');
    assert.equal(await t.run('=file.getcontents("t.txt")'), "one\r\nTWO!?\r\n");
    assert.equal(
      await t.run('f = file.open("t.txt") print(f:read("!"), f:read("x"))'),
      "one\r\nTWO!\t?\r\n",
    );
    assert.match(await t.run('f:read("ab")'), /^Lua error: \tstdin:1: wrong arg range\r\n/);
  });
});

Deno.test("file: at most four open files; the old calls work on the last opened one", async () => {
  await withNodemcu(async (t) => {
    await t.run('file.putcontents("a", "1") file.putcontents("b", "2")');
    assert.equal(
      await t.run(
        'f1 = file.open("a") f2 = file.open("b") f3 = file.open("a") f4 = file.open("b") print(file.open("a"))',
      ),
      "nil\r\n",
    );
    assert.equal(
      await t.run('=file.getcontents("a")'),
      "nil\r\n",
      "getcontents needs a descriptor too",
    );
    assert.equal(
      await t.run("f4:close() print(file.read(), f1:read())"),
      "Lua error: \tstdin:1: open a file first\r\n" +
        "stack traceback:\r\n\t[C]: in function 'read'\r\n\tstdin:1: in main chunk\r\n\t[C]: ?\r\n\t[C]: ?\r\n",
    );
    assert.equal(await t.run('f5 = file.open("b") print(file.read(), file.read(f1))'), "2\t1\r\n");
    assert.equal(
      await t.run("file.close(f1) print(f1:read())"),
      "Lua error: \tstdin:1: open a file first\r\n" +
        "stack traceback:\r\n\t[C]: in function 'read'\r\n\tstdin:1: in main chunk\r\n\t[C]: ?\r\n\t[C]: ?\r\n",
    );
  });
});

Deno.test("file: writes not flushed or closed are lost at a restart; closed ones stay", async () => {
  await withNodemcu(async (t) => {
    await t.run('f = file.open("kept.txt", "w") f:write("kept") f:close()');
    await t.run('g = file.open("lost.txt", "w") g:write("gone")');
    t.tap.clear();
    t.tap.type("node.restart()\r\n");
    await t.tap.until(/powered by Lua.*\r\n(.*\r\n)?> $/s);
    assert.equal(
      await t.run('=file.getcontents("kept.txt"), file.getcontents("lost.txt")'),
      "kept\t\r\n",
    );
  });
});

Deno.test("file: fsinfo, fscfg, format (`format done.`), list with a pattern", async () => {
  await withNodemcu(async (t) => {
    await t.run('file.putcontents("x.lua", "1") file.putcontents("y.txt", "22")');
    const [remaining, used, total] = (await t.run("=file.fsinfo()")).trim().split("\t").map(Number);
    assert.equal(remaining! + used!, total);
    assert.ok(used! > 0 && total! > 3_000_000, `${used} ${total}`);
    const [address, size] = (await t.run("=file.fscfg()")).trim().split("\t").map(Number);
    assert.deepEqual([address, size], [0x30000, 0x400000 - 0x5000 - 0x30000]);
    assert.equal(
      await t.run('for k, v in pairs(file.list("%.lua$")) do print(k, v) end'),
      "x.lua\t1\r\n",
    );
    assert.equal(await t.run("file.format()"), "format done.\r\n");
    assert.equal(await t.run("=next(file.list())"), "nil\r\n");
  }, { flashBytes: 4 << 20 });
});

Deno.test("file: 2.x has no getcontents and putcontents", async () => {
  await withNodemcu(async (t) => {
    assert.equal(
      await t.run("=file.getcontents, file.putcontents, type(file.open)"),
      "nil\tnil\tfunction\r\n",
    );
  }, { banner: { version: "2.2.0.0" } });
});
