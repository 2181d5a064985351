/**
 * Bad input to the Lua-side commands: exit 2, one line and a hint, checked before the port is
 * opened (the port here does not exist, so reaching it would be a different error); and a
 * board without a prompt: exit 1 with the smoke layer's diagnosis, not a timeout trace.
 */

import assert from "node:assert/strict";
import { runCli, withTempDir } from "./support/run_cli.ts";

const NO_PORT = ["--port", "/dev/nodeflash-test-no-such-port"];
const LONG = "a_name_much_longer_than_nodemcu_keeps.lua";

function oneLine(name: string, run: Awaited<ReturnType<typeof runCli>>, code: number): void {
  assert.equal(run.code, code, `${name}: exit code (stderr: ${run.stderr})`);
  const lines = run.stderr.trimEnd().split("\n");
  assert.ok(lines.length <= 4, `${name}: ${lines.length} lines: ${run.stderr}`);
  assert.doesNotMatch(run.stderr, /^\s+at /m, `${name}: stack trace`);
  assert.match(run.stderr, /^error: .*\nhint: /m, `${name}: error and hint`);
}

Deno.test("Lua commands: bad input gets exit 2 and one line, before the port is opened", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/ok.lua`, "print(1)\n");
    await Deno.writeTextFile(`${dir}/${LONG}`, "print(1)\n");
    await Deno.writeTextFile(`${dir}/notes.txt`, "not Lua\n");
    await Deno.writeFile(`${dir}/compiled.lua`, new Uint8Array([0x1b, 0x4c, 0x75, 0x61, 0x51]));
    await Deno.mkdir(`${dir}/src`);
    await Deno.writeTextFile(`${dir}/src/${LONG}`, "return 1\n");
    await Deno.writeFile(`${dir}/empty.img`, new Uint8Array());
    const cases: Array<[string, string[], RegExp]> = [
      ["missing file", ["upload", `${dir}/nope.lua`], /Cannot read .*nope\.lua: no such file/],
      [
        "name over 31 bytes",
        ["upload", `${dir}/${LONG}`],
        /has 41 bytes; NodeMCU keeps at most 31/,
      ],
      ["--to over 31 bytes", ["upload", `${dir}/ok.lua`, "--to", LONG], /NodeMCU keeps at most 31/],
      [
        "--to with two files",
        ["upload", `${dir}/ok.lua`, `${dir}/notes.txt`, "--to", "x"],
        /--to renames one file/,
      ],
      ["sync: long name inside", ["sync", `${dir}/src`], /too long in .*src: a_name_much/],
      ["sync: no such folder", ["sync", `${dir}/nosuch`], /Cannot read the folder/],
      ["test: not Lua", ["test", `${dir}/notes.txt`], /notes\.txt is not a Lua file/],
      ["test: bytecode", ["test", `${dir}/compiled.lua`], /compiled Lua bytecode/],
      ["test: missing file", ["test", `${dir}/nope.lua`], /no such file/],
      ["test: bad timeout", ["test", `${dir}/ok.lua`, "--timeout", "soon"], /--timeout must be/],
      [
        "test: --with missing",
        ["test", `${dir}/ok.lua`, "--with", `${dir}/nolib`],
        /Cannot read the folder/,
      ],
      [
        "console baud not a rate",
        ["upload", `${dir}/ok.lua`, "--console-baud", "500000"],
        /cannot run at 500000/,
      ],
      [
        "console baud not a number",
        ["sync", `${dir}/src`, "--console-baud", "fast"],
        /whole number/,
      ],
      ["cat: name over 31 bytes", ["cat", LONG], /NodeMCU keeps at most 31/],
      [
        "cat: -o into a missing folder",
        ["cat", "x.lua", "-o", `${dir}/no/x.lua`],
        /folder .* does not exist/,
      ],
      ["rm: no name", ["rm"], /rm needs at least one NAME/],
      ["run: two names", ["run", "a.lua", "b.lua"], /run takes one NAME/],
      ["lfs: empty image", ["lfs", `${dir}/empty.img`], /empty\.img is empty/],
      ["bad --reset", ["files", "--reset", "hard"], /Unknown --reset value 'hard'/],
    ];
    for (const [name, args, message] of cases) {
      const run = await runCli([...NO_PORT, ...args]);
      oneLine(name, run, 2);
      assert.match(run.stderr, message, name);
    }
  });
});

Deno.test("a board with no prompt: exit 1 with the smoke layer's diagnosis", async () => {
  // An erased board: the ROM finds nothing to boot and the console stays silent.
  const run = await runCli(["-p", "sim://", "files"]);
  oneLine("files", run, 1);
  assert.match(run.stderr, /^error: .*(silent|nothing|no prompt|did not)/im);
  const json = await runCli(["-p", "sim://", "--json", "test", "tests/fixtures/lua/t_pass.lua"]);
  assert.equal(json.code, 1);
  const result = json.json().at(-1)!;
  assert.equal(result.type, "result");
  assert.match(String((result.error as Record<string, unknown>).code), /^smoke\//);
});
