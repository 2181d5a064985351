import assert from "node:assert/strict";
import { main } from "../main.ts";
import { COMMANDS } from "../commands.ts";
import type { GlobalOptions } from "../command.ts";
import { monitorCommand, monitorConfig } from "./monitor.ts";

const GLOBAL: GlobalOptions = {
  port: "P",
  baud: undefined,
  before: undefined,
  after: undefined,
  noStub: false,
  connectAttempts: undefined,
  json: false,
  quiet: false,
  trace: false,
};
const line = (options: Record<string, string>, global: Partial<GlobalOptions> = {}) => ({
  command: "monitor",
  positionals: [],
  global: { ...GLOBAL, ...global },
  options,
});

async function run(args: string[]) {
  let stdout = "", stderr = "";
  const code = await main(args, {
    stdout: (t) => stdout += t,
    stderr: (t) => stderr += t,
    stderrIsTerminal: false,
    env: () => undefined,
  });
  return { code, stdout, stderr };
}

Deno.test("monitor is in the command table and its help documents the keys and the streams", async () => {
  assert.ok(COMMANDS.includes(monitorCommand));
  const listed = await run(["--help"]);
  assert.match(listed.stdout, /^ {2}monitor +talk to the board's Lua prompt/m);
  const help = await run(["monitor", "--help"]);
  assert.equal(help.code, 0);
  for (const words of ["Ctrl-]", "Ctrl-T R", "Ctrl-T Ctrl-T", "74880", "stderr", "--eof stay"]) {
    assert.ok(help.stdout.includes(words), words);
  }
});

Deno.test("monitorConfig: defaults, the console rate from --baud, --eof and --idle", () => {
  assert.deepEqual(monitorConfig(line({})), {
    baud: 115200,
    log: undefined,
    eof: "quit",
    idleMs: 1000,
  });
  assert.deepEqual(
    monitorConfig(line({ eof: "stay", idle: "2.5", log: "out.bin" }, { baud: 74880 })),
    { baud: 74880, log: "out.bin", eof: "stay", idleMs: 2500 },
  );
});

Deno.test("monitorConfig: bad values are user errors that name them", () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { code?: string; kind?: string }).code;
    }
    return "none";
  };
  assert.equal(code(() => monitorConfig(line({ eof: "later" }))), "input/eof");
  assert.equal(code(() => monitorConfig(line({ idle: "0" }))), "input/idle");
  assert.equal(code(() => monitorConfig(line({ idle: "-1" }))), "input/idle");
  assert.equal(code(() => monitorConfig(line({ idle: "1e3" }))), "input/idle");
  assert.equal(code(() => monitorConfig(line({}, { json: true }))), "cli/json-unsupported");
  assert.equal(
    code(() => monitorConfig({ ...line({}), positionals: ["fw.bin"] })),
    "input/usage",
  );
});

Deno.test("monitor --json is refused before touching the port, with a JSON error result", async () => {
  const r = await run(["monitor", "--json", "-p", "/dev/nonexistent-nodeflash-port"]);
  assert.equal(r.code, 2);
  const result = JSON.parse(r.stdout.trim());
  assert.equal(result.type, "result");
  assert.equal(result.error.code, "cli/json-unsupported");
});

Deno.test("monitor: an unwritable --log is a user error before the port is opened", async () => {
  const r = await run([
    "monitor",
    "-p",
    "/dev/nonexistent-nodeflash-port",
    "--log",
    "/nonexistent-dir/board.log",
  ]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /error: Cannot open the log file \/nonexistent-dir\/board\.log: its folder/,
  );
});

Deno.test("monitor: bad --eof through the whole CLI exits 2 with a hint", async () => {
  const r = await run(["monitor", "-p", "P", "--eof", "later"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--eof must be 'quit' or 'stay', not 'later'\nhint: quit: /);
});
