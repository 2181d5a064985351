import assert from "node:assert/strict";
import { resolveBoardOptions } from "./board_options.ts";
import { DEFAULT_TIMING } from "./time_model.ts";

Deno.test("defaults: a NodeMCU devkit (esp-12e, ESP8266EX, 4 MB W25Q32, fixed MAC, reset circuit)", () => {
  const o = resolveBoardOptions();
  assert.deepEqual(
    { ...o, mac: [...o.mac] },
    {
      module: "esp-12e",
      chip: "esp8266",
      flashSizeName: "4MB",
      flashBytes: 4 << 20,
      mac: [0x5c, 0xcf, 0x7f, 0, 0, 1],
      seed: 0,
      jedecId: 0x1640ef,
      flashStatus: 0,
      gpio15High: false,
      crystalMhz: 26,
      bootMode: undefined,
      flashModes: ["qio", "qout", "dio", "dout"],
      reset: "devkit",
      rcDelayMs: 100,
      pace: "instant",
      timing: { ...DEFAULT_TIMING },
      faults: {},
      firmwareWritesInitData: undefined,
      romAutobaudMaxBaud: 921600,
      bridgeMaxBaud: Infinity,
    },
  );
  assert.throws(() => resolveBoardOptions({ romAutobaudMaxBaud: 12.5 }), /must be a baud rate/);
});

Deno.test("flash modes follow the module and the chip; time, reset and fault options are checked", () => {
  assert.deepEqual(resolveBoardOptions({ module: "esp-01s" }).flashModes, ["dio", "dout"]);
  assert.deepEqual(resolveBoardOptions({ module: "esp8285" }).flashModes, ["dout"]);
  assert.deepEqual(resolveBoardOptions({ chip: "esp8285" }).flashModes, ["dout"]);
  assert.equal(resolveBoardOptions({ module: "esp8285" }).chip, "esp8285");
  const o = resolveBoardOptions({
    reset: "manual",
    pace: "realtime",
    timing: { latencyMs: 16 },
    faults: "drop=0.5,stuck-gpio0",
  });
  assert.deepEqual([o.reset, o.pace, o.timing.latencyMs, o.timing.sectorEraseUs], [
    "manual",
    "realtime",
    16,
    DEFAULT_TIMING.sectorEraseUs,
  ]);
  assert.deepEqual(o.faults, { drop: 0.5, stuckGpio0: true });
  assert.throws(() => resolveBoardOptions({ reset: "usb" as "manual" }), { code: "sim/reset" });
  assert.throws(() => resolveBoardOptions({ timing: { latencyMs: -1 } }), { code: "sim/timing" });
  assert.throws(() => resolveBoardOptions({ faults: "explode" }), { code: "sim/faults" });
});

Deno.test("modules, sizes and chips combine; explicit values win", () => {
  assert.equal(resolveBoardOptions({ module: "esp-01" }).flashBytes, 512 * 1024);
  assert.deepEqual(
    [
      resolveBoardOptions({ chip: "esp8285" }).flashSizeName,
      resolveBoardOptions({ module: "esp-m3" }).chip,
    ],
    ["1MB", "esp8285"],
  );
  assert.equal(resolveBoardOptions({ flashSize: "32m" }).flashBytes, 4 << 20);
  assert.equal(resolveBoardOptions({ flashSize: "16MB" }).jedecId, 0x1840ef);
  assert.equal(resolveBoardOptions({ jedecId: 0x1640c8 }).jedecId, 0x1640c8);
  assert.deepEqual([...resolveBoardOptions({ mac: "aa:bb:cc:dd:ee:ff" }).mac], [
    0xaa,
    0xbb,
    0xcc,
    0xdd,
    0xee,
    0xff,
  ]);
});

Deno.test("bad options are user errors with codes", () => {
  assert.throws(() => resolveBoardOptions({ flashSize: "3MB" }), { code: "input/flash-size" });
  assert.throws(() => resolveBoardOptions({ module: "esp-32" as never }), { code: "sim/module" });
  assert.throws(() => resolveBoardOptions({ chip: "esp32" as never }), { code: "sim/chip" });
  assert.throws(() => resolveBoardOptions({ mac: "zz" }), { code: "sim/mac" });
  assert.throws(() => resolveBoardOptions({ seed: -1 }), { code: "sim/seed" });
  assert.throws(() => resolveBoardOptions({ mac: new Uint8Array(3) }), { code: "sim/mac" });
});
