import assert from "node:assert/strict";
import type { LuaSummary } from "./lua_board.ts";
import { luaTestAnnotations, luaTestRows, writeJunitFiles } from "./lua_report.ts";

const lua: LuaSummary = {
  uploaded: ["lib/util.lua"],
  unchanged: [],
  tests: [{
    file: "test_io.lua",
    path: "tests/test_io.lua",
    seconds: 2,
    output: "",
    tests: [
      { file: "test_io.lua", name: "reads", status: "pass", message: "" },
      {
        file: "test_io.lua",
        name: "writes",
        status: "fail",
        message: "exn; boom: lib/util.lua:7: bad pin",
        location: { file: "lib/util.lua", line: 7 },
      },
      {
        file: "test_io.lua",
        name: "(timeout)",
        status: "fail",
        message: "no end of the tests in time:\n...",
      },
    ],
  }],
};
const job = {
  files: [{ name: "lib/util.lua", path: "lua/lib/util.lua", data: new Uint8Array() }],
  tests: [{ name: "test_io.lua", path: "tests/test_io.lua", data: new Uint8Array() }],
};

Deno.test("a failing test's annotation points at the workspace file its message names", () => {
  const [named, timeout] = luaTestAnnotations([{ port: "/dev/a", lua }], job);
  assert.deepEqual(named, {
    title: "nodeflash: writes failed in tests/test_io.lua on /dev/a",
    message: "exn; boom: lib/util.lua:7: bad pin",
    file: "lua/lib/util.lua",
    line: 7,
  });
  assert.equal(timeout?.file, "tests/test_io.lua", "without a line: the test file itself");
  assert.equal(timeout?.line, undefined);
  assert.deepEqual(luaTestAnnotations([{ port: "/dev/b", lua: null }], job), []);
});

Deno.test("summary rows per board and file; a JUnit file only for boards that ran tests", async () => {
  assert.deepEqual(luaTestRows([{ port: "/dev/<a>", lua }, { port: "/dev/b", lua: null }]), [
    ["/dev/&lt;a&gt;", "tests/test_io.lua", "1", "2", "0", "2.0 s"],
  ]);
  const dir = await Deno.makeTempDir();
  try {
    const paths = await writeJunitFiles(
      [{ port: "/dev/a", lua }, { port: "/dev/b", lua: null }],
      dir,
    );
    assert.equal(paths[1], null);
    assert.match(paths[0]!, /board-1-dev-a\.junit\.xml$/);
    assert.match(
      await Deno.readTextFile(paths[0]!),
      /<testsuite name="test_io.lua" tests="3" failures="2"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
