import assert from "node:assert/strict";
import { parseBootLog } from "./boot_log.ts";
import { bootWarnings } from "./boot_warnings.ts";

const BANNER =
  "\r\nNodeMCU 3.0.0.0 build unspecified powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)\r\n";

Deno.test("boot warnings: init.lua's error before the prompt, named with its message", () => {
  const log = parseBootLog(
    BANNER + "init.lua:2: attempt to call global 'missing' (a nil value)\r\nstack traceback:\r\n" +
      "\tinit.lua:2: in main chunk\r\n\t[C]: ?\r\n> ",
  );
  const warnings = bootWarnings(log, { url: "/dev/ttyUSB0" });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.code, "smoke/init-lua-failed");
  assert.equal(
    warnings[0]!.message,
    "NodeMCU on /dev/ttyUSB0 reached its Lua prompt, but init.lua failed: " +
      "init.lua:2: attempt to call global 'missing' (a nil value)",
  );
  assert.match(
    warnings[0]!.hint,
    /file\.remove\("init\.lua"\).*troubleshooting\.md#smoke-init-lua-failed/,
  );
});

Deno.test("boot warnings: a callback's error after the prompt; none for a clean boot", () => {
  const log = parseBootLog(
    BANNER +
      "cannot open init.lua: \r\n> init.lua:1: x\r\nstack traceback:\r\n\t[C]: in function 'error'\r\n",
  );
  assert.match(
    bootWarnings(log, { url: "sim://" })[0]!.message,
    /a Lua callback \(set up by init\.lua\) failed: init\.lua:1: x$/,
  );
  assert.deepEqual(
    bootWarnings(parseBootLog(BANNER + "cannot open init.lua: \r\n> "), { url: "x" }),
    [],
  );
});
