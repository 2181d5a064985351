import assert from "node:assert/strict";
import { parseSimUrl, SIM_URL_KEYS } from "../sim/mod.ts";
import { simBoardOptions } from "./sim_options.ts";

/** A value for every `sim://` key, as the URL and `nodeflash sim --KEY VALUE` take it. */
const SAMPLES: Record<string, string> = {
  "flash-size": "2MB",
  chip: "esp8285",
  module: "esp-01",
  mac: "5c:cf:7f:01:02:03",
  "flash-file": "/tmp/board.bin",
  seed: "7",
  "jedec-id": "0x1640ef",
  boot: "download",
  gpio15: "high",
  reset: "manual",
  "latency-ms": "16",
  faults: "drop=0.1,stuck-gpio0",
  crystal: "40",
  "init-data": "none",
  "autobaud-max": "115200",
  "bridge-max": "460800",
};

Deno.test("every sim:// key given as a `nodeflash sim` option means what it means in the URL", () => {
  for (const key of SIM_URL_KEYS) {
    if (key === "realtime") {
      assert.deepEqual(simBoardOptions({ realtime: true }), parseSimUrl("sim://?realtime"));
      continue;
    }
    const value = SAMPLES[key];
    assert.ok(value !== undefined, `a sample value for ${key}`);
    const fromUrl = parseSimUrl(`sim://?${key}=${encodeURIComponent(value)}`);
    assert.notDeepEqual(fromUrl, {}, key);
    assert.deepEqual(simBoardOptions({ [key]: value }), fromUrl, `--${key} ${value}`);
  }
});
