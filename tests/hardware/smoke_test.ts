/**
 * The smoke suite against a real board (NODEFLASH_HW_PORT) running NodeMCU: flash
 * NODEFLASH_HW_FIRMWARE first when it is given, then reset the board and check that it reaches a
 * Lua prompt that computes; and the same through the command line, with a probe of its own.
 */

import assert from "node:assert/strict";
import { flash, openTransport } from "../../mod.ts";
import { runSmokeTest } from "../../lib/smoke/mod.ts";
import { runCli } from "../support/run_cli.ts";
import { hardwareTest, HW_FIRMWARE, HW_PORT } from "./hardware.ts";

hardwareTest("hardware: NodeMCU boots to a Lua prompt that computes", async () => {
  const port = await openTransport(HW_PORT, { baudRate: 115200 });
  try {
    if (HW_FIRMWARE !== "") {
      const data = await Deno.readFile(HW_FIRMWARE);
      const result = await flash(port, {
        files: [{ address: 0, name: HW_FIRMWARE, data }],
        after: "no-reset",
      });
      assert.ok(result.regions.every((r) => r.verified));
    }
    const smoke = await runSmokeTest(port);
    assert.equal(smoke.ok, true, smoke.diagnosis?.message);
    assert.equal(smoke.phase, "probed");
    assert.ok(smoke.banner?.version !== undefined || smoke.banner?.sdk !== undefined);
  } finally {
    await port.close();
  }
});

hardwareTest("hardware: nodeflash smoke with a probe of the user's", async () => {
  const run = await runCli([
    "smoke",
    "--port",
    HW_PORT,
    "--lua",
    "print(node.chipid())",
    "--expect",
    "^\\d+$",
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.json().at(-1)!.ok, true);
});
