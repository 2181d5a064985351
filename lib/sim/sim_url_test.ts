import assert from "node:assert/strict";
import { parseSimUrl } from "./sim_url.ts";

Deno.test("parseSimUrl reads every key", () => {
  assert.deepEqual(
    parseSimUrl(
      "sim://?flash-size=2MB&chip=esp8285&module=esp-m3&mac=5c:cf:7f:01:02:03&flash-file=/tmp/f.bin&seed=12&jedec-id=0x1540c8&boot=flash&gpio15=high",
    ),
    {
      flashSize: "2MB",
      chip: "esp8285",
      module: "esp-m3",
      mac: "5c:cf:7f:01:02:03",
      flashFile: "/tmp/f.bin",
      seed: 12,
      jedecId: 0x1540c8,
      bootMode: "flash",
      gpio15High: true,
    },
  );
  assert.deepEqual(
    parseSimUrl(
      "sim://?reset=manual&realtime=1&latency-ms=16&faults=drop%3D0.1,stuck-gpio0&crystal=40&init-data=none",
    ),
    {
      reset: "manual",
      pace: "realtime",
      timing: { latencyMs: 16 },
      faults: { drop: 0.1, stuckGpio0: true },
      crystalMhz: 40,
      firmwareWritesInitData: false,
    },
  );
  assert.deepEqual(parseSimUrl("sim://?realtime&init-data=firmware"), {
    pace: "realtime",
    firmwareWritesInitData: true,
  });
  assert.deepEqual(parseSimUrl("sim://?realtime=0&init-data=auto"), { pace: "instant" });
  assert.deepEqual(parseSimUrl("sim://?autobaud-max=115200&bridge-max=460800"), {
    romAutobaudMaxBaud: 115200,
    bridgeMaxBaud: 460800,
  });
  assert.throws(() => parseSimUrl("sim://?autobaud-max=fast"), /Bad autobaud-max/);
  assert.deepEqual(parseSimUrl("sim:"), {});
  assert.deepEqual(parseSimUrl("SIM:///?seed=1"), { seed: 1 });
});

Deno.test("parseSimUrl rejects other schemes, unknown keys and bad values", () => {
  for (
    const bad of [
      "socket://x:1",
      "sim://host",
      "sim://?color=red",
      "sim://?seed=-1",
      "sim://?chip=esp32",
      "sim://?jedec-id=zz",
      "sim://?boot=maybe",
      "sim://?gpio15=1",
      "sim://?flash-file=",
      "sim://?reset=usb",
      "sim://?realtime=yes",
      "sim://?latency-ms=-1",
      "sim://?crystal=20",
      "sim://?init-data=maybe",
    ]
  ) {
    assert.throws(() => parseSimUrl(bad), { code: "sim/url" }, bad);
  }
  assert.throws(() => parseSimUrl("sim://?faults=explode"), { code: "sim/faults" });
  assert.throws(
    () => parseSimUrl("sim://?colour=1"),
    (e: { hint?: string }) => e.hint?.startsWith("The keys are: flash-size, chip") === true,
  );
});
