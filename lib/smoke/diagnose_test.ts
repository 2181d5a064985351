import assert from "node:assert/strict";
import { parseBootLog } from "./boot_log.ts";
import { diagnose, type DiagnoseContext, diagnosisError, fatalSign } from "./diagnose.ts";
import { FAILURE_CASES, flattenBoots } from "./testing/failure_cases.ts";
import { BANNERS, ROM_LOADS, romHeader } from "./testing/transcripts.ts";

const ctx = (over: Partial<DiagnoseContext> = {}): DiagnoseContext => ({
  url: "/dev/ttyUSB0",
  stop: "fatal",
  waitedMs: 1500,
  consoleBaud: 115200,
  ...over,
});

for (const c of FAILURE_CASES) {
  Deno.test(`diagnosis from the transcript: ${c.name}`, () => {
    const gpio0Low = c.resetSequence !== undefined;
    const loops = c.script({ boot: 0, gpio0Low }).then === "reboot";
    const text = flattenBoots(c.script, { boots: loops ? 3 : 1, gpio0Low });
    const log = parseBootLog(text);
    const stop = c.ends;
    if (stop === "fatal") assert.notEqual(fatalSign(log), undefined, "stops the wait early");
    const d = diagnose(log, ctx({ stop }));
    assert.equal(d?.code, c.code);
    assert.match(c.inMessage ? d.message : d.hint, c.hint);
    assert.match(d.message, /\/dev\/ttyUSB0/, "the message names the port");
    assert.ok(
      d.hint.endsWith(` See docs/troubleshooting.md#${c.code.replace("/", "-")}.`),
      "the hint names its troubleshooting section",
    );
  });
}

Deno.test("a clean boot has no fatal sign and nothing to diagnose at its prompt", () => {
  const log = parseBootLog(romHeader(2, [3, 6]) + ROM_LOADS + BANNERS[4]!.console);
  assert.equal(fatalSign(log), undefined);
  assert.equal(diagnose(log, ctx({ stop: "prompt" })), undefined);
});

Deno.test("one extra start on first boot is not a boot loop; three are", () => {
  const boot = romHeader(2, [3, 6]) + ROM_LOADS;
  assert.equal(fatalSign(parseBootLog(boot + boot + BANNERS[4]!.console)), undefined);
  assert.equal(fatalSign(parseBootLog(boot + boot + boot)), "3 boots");
});

Deno.test("csum err wins over the ets_main.c that follows it", () => {
  const log = parseBootLog(romHeader(2, [3, 6]) + "csum err\r\nets_main.c \r\n");
  assert.equal(diagnose(log, ctx())?.code, "smoke/bad-image");
  assert.equal(diagnose(log, ctx())?.evidence, "csum err");
});

Deno.test("a PANIC saying 'not enough memory' is a memory problem, not a script bug", () => {
  const log = parseBootLog("PANIC: unprotected error in call to Lua API (not enough memory)\r\n");
  assert.equal(diagnose(log, ctx())?.code, "smoke/out-of-memory");
});

Deno.test("after a prompt, only what followed it explains a failed probe", () => {
  const text = "system param error, use last saved param!\r\n" + BANNERS[4]!.console;
  const log = parseBootLog(text);
  const probe = { step: "nonce" as const, sent: "print(1)", reply: "print(1)" };
  assert.equal(diagnose(log, ctx({ stop: "prompt", probe }))?.code, "smoke/lua-not-running");
  const crashed = parseBootLog(text + "print(1)\r\nFatal exception (0):\r\n");
  assert.equal(diagnose(crashed, ctx({ stop: "prompt", probe }))?.code, "smoke/fatal-exception");
});

Deno.test("fatal exception names the cause when it is a known one", () => {
  const d = diagnose(parseBootLog("Fatal exception (29):\r\n"), ctx());
  assert.match(d?.message ?? "", /StoreProhibited/);
  const odd = diagnose(parseBootLog("Fatal exception (17):\r\n"), ctx());
  assert.match(odd?.message ?? "", /Fatal exception 17$/);
});

Deno.test("a diagnosis becomes a device error with the same code and hint", () => {
  const d = diagnose(parseBootLog(romHeader(2, [3, 6]) + "ets_main.c \r\n"), ctx())!;
  const e = diagnosisError(d);
  assert.equal(e.kind, "device");
  assert.equal(e.code, "smoke/empty-flash");
  assert.equal(e.hint, d.hint);
  assert.deepEqual(e.details, { evidence: "ets_main.c" });
});

Deno.test("a Lua traceback followed by a restart (3.x's default onerror) is the script's error; without a restart it is no failure", () => {
  const banner =
    "\r\nNodeMCU 3.0.0.0 build unspecified powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)\r\n";
  const report = "> init.lua:1: attempt to call global 'missing' (a nil value)\r\n" +
    "stack traceback:\r\n\tinit.lua:1: in function <init.lua:1>\r\n";
  const context = { url: "sim://", stop: "timeout", waitedMs: 3000, consoleBaud: 115200 } as const;
  const restarted = parseBootLog(banner + "cannot open init.lua: \r\n" + report + banner);
  const d = diagnose(restarted, context);
  assert.equal(d?.code, "smoke/init-lua-error");
  assert.match(d?.message ?? "", /attempt to call global 'missing'.*followed by a restart/);
  const stayed = parseBootLog(banner + "cannot open init.lua: \r\n" + report + "> ");
  assert.notEqual(diagnose(stayed, context)?.code, "smoke/init-lua-error");
});
