import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { builtInInitData } from "./init_data.ts";

// Espressif's published files (ESP8266_NONOS_SDK bin/), as kept in ../shared/data/ beside the
// checkout; CI machines may not have them, so the digests below are the pin that always runs.
const SHARED = new URL("../../../shared/data/", import.meta.url);
const FILES = {
  default: new URL("esp_init_data_default_v08.bin", SHARED),
  v05: new URL("esp_init_data_default_v05.bin", SHARED),
} as const;
const SHA256 = {
  default: "b2218087cf938ce665b26ac049f7d146677c70fe2909205a4d0e6a58aef0e4b3",
  v05: "0da80624efa6159bbf30141b6e978a17bed80d8f5505c4bbfb75d49f496ecb83",
} as const;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

Deno.test("init data: the built-in tables have Espressif's sha256 digests", () => {
  for (const which of ["default", "v05"] as const) {
    const data = builtInInitData(which);
    assert.equal(data.length, 128, which);
    assert.equal(sha256(data), SHA256[which], which);
  }
});

Deno.test("init data: v08 and v05 differ only in the version byte and the TX-power bytes 34-38", () => {
  const v08 = builtInInitData("default");
  const v05 = builtInInitData("v05");
  const differ = [...v08.keys()].filter((i) => v08[i] !== v05[i]);
  assert.deepEqual(differ, [1, 34, 35, 36, 37, 38]);
  assert.deepEqual([v08[0], v08[1], v05[0], v05[1]], [0x05, 0x08, 0x05, 0x00]);
});

Deno.test("init data: each call returns a fresh copy", () => {
  const first = builtInInitData("default");
  first.fill(0);
  assert.equal(sha256(builtInInitData("default")), SHA256.default);
});

for (const which of ["default", "v05"] as const) {
  Deno.test({
    name: `init data: ${which} is byte-identical to ${FILES[which].pathname.split("/").at(-1)}`,
    ignore: !exists(FILES[which]),
    fn: async () => {
      const file = await Deno.readFile(FILES[which]);
      assert.deepEqual(builtInInitData(which), file);
    },
  });
}
