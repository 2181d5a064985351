import assert from "node:assert/strict";
import { parseBaudSetting, syncRates, workingRates } from "./baud_choice.ts";
import { LinkMemory } from "./link_memory.ts";

Deno.test("sync rates: 460800 then 115200, never above the working rate with the stub", () => {
  assert.deepEqual(syncRates("auto"), [460800, 115200]);
  assert.deepEqual(syncRates(921600), [460800, 115200]);
  assert.deepEqual(syncRates(230400), [230400, 115200]);
  assert.deepEqual(syncRates(115200), [115200]);
  assert.deepEqual(syncRates(74880), [74880]);
  // --no-stub: the ROM works at the sync rate, so the rate asked for is the one tried first
  assert.deepEqual(syncRates(921600, { loader: "rom" }), [921600, 115200]);
  assert.deepEqual(syncRates("auto", { loader: "rom" }), [460800, 115200]);
});

Deno.test("sync rates follow what the run learnt about the port", () => {
  const memory = new LinkMemory();
  const port = "rfc2217://host:4000";
  memory.update(port, { failedSync: [460800] });
  assert.deepEqual(syncRates("auto", { memory, port }), [115200]);
  assert.deepEqual(syncRates("auto", { memory, port: "other" }), [460800, 115200]);
  const worked = new LinkMemory();
  worked.update(port, { syncBaud: 460800 });
  assert.deepEqual(syncRates(921600, { memory: worked, port }), [460800, 115200]);
});

Deno.test("working rates: auto falls back from 921600; a rate given is the only one", () => {
  assert.deepEqual(workingRates("auto"), [921600, 460800, 115200]);
  assert.deepEqual(workingRates(1500000), [1500000]);
  const memory = new LinkMemory();
  memory.update("p", { failedWorking: [921600, 460800, 115200] });
  assert.deepEqual(workingRates("auto", { memory, port: "p" }), [115200], "never nothing");
});

Deno.test("--baud: auto or a whole number", () => {
  assert.equal(parseBaudSetting(undefined), "auto");
  assert.equal(parseBaudSetting(" AUTO "), "auto");
  assert.equal(parseBaudSetting("460800"), 460800);
  assert.throws(() => parseBaudSetting("fast"), /not a baud rate/);
  assert.throws(() => parseBaudSetting("1.5"), /not a baud rate/);
});
