import assert from "node:assert/strict";
import { findSignatures, SIGNATURE_RULES } from "./signatures.ts";

const one = (line: string) => findSignatures(`noise\r\n${line}\r\nmore`);

Deno.test("each failure line of docs/boot-log.md B is recognised, with its detail", () => {
  const cases: [string, string, string | undefined][] = [
    ["csum err", "csum-error", undefined],
    ["ets_main.c ", "ets-main", undefined],
    ["rf_cal[0] !=0x05,is 0xFF", "rf-cal", "0xFF"],
    ["system param error, use last saved param!", "system-param", undefined],
    ["Fatal exception (28):", "fatal-exception", "28"],
    ["Fatal exception 29(StoreProhibitedCause):", "fatal-exception", "29"],
    [
      "PANIC: unprotected error in call to Lua API (init.lua:3: bad argument #1 to 'x' (number expected))",
      "lua-panic",
      "init.lua:3: bad argument #1 to 'x' (number expected)",
    ],
    ["E:M 4104", "heap-exhausted", "4104"],
    ["cannot create state: not enough memory", "cannot-create-state", "not enough memory"],
    ["*** ERROR ***: unable to format. FS might be compromised.", "format-failed", undefined],
    ["Invalid system partition table", "partition-table", undefined],
    ["Partition 3 invalid alignment", "partition-table", undefined],
    ["Flash size (524288) too small to support NodeMCU", "partition-table", "524288"],
    ["waiting for host", "waiting-for-host", undefined],
    ["wdt reset", "wdt-reset", undefined],
  ];
  for (const [line, id, detail] of cases) {
    const found = one(line);
    assert.equal(found[0]?.id, id, line);
    assert.equal(found[0]?.detail, detail, line);
    assert.equal(found[0]?.line, line.trim());
    assert.equal(found[0]?.at, 7);
  }
});

Deno.test("only unrecoverable signatures are fatal", () => {
  const fatal = SIGNATURE_RULES.filter((r) => r.fatal).map((r) => r.id);
  assert.ok(!fatal.includes("system-param"));
  assert.ok(!fatal.includes("heap-exhausted"));
  assert.ok(!fatal.includes("wdt-reset"));
  assert.ok(fatal.includes("lua-panic") && fatal.includes("csum-error"));
});

Deno.test("ordinary boot output and Lua errors at the prompt are not failures", () => {
  const boot = "NodeMCU 3.0.0.0 \r\n\tSSL: false\r\ncannot open init.lua: \r\n> " +
    "print(1)\r\n1\r\n> x()\r\nLua error: \tstdin:1: attempt to call a nil value (global 'x')\r\n> ";
  assert.deepEqual(findSignatures(boot), []);
});
