import assert from "node:assert/strict";
import { defaultMacAddress, formatMacAddress, parseMacAddress } from "./mac_address.ts";

Deno.test("parseMacAddress accepts colons, dashes or nothing and rejects the rest", () => {
  const want = [0x5c, 0xcf, 0x7f, 0xab, 0xcd, 0xef];
  for (const text of ["5c:cf:7f:ab:cd:ef", "5C-CF-7F-AB-CD-EF", "5ccf7fabcdef"]) {
    assert.deepEqual([...parseMacAddress(text)], want);
  }
  for (const bad of ["", "5c:cf:7f:ab:cd", "5c:cf:7f:ab:cd:eg", "5c:cf:7f:ab:cd:ef:00"]) {
    assert.throws(() => parseMacAddress(bad), { code: "sim/mac" });
  }
});

Deno.test("default MACs: fixed for seed 0, distinct per seed, Espressif OUI", () => {
  assert.equal(formatMacAddress(defaultMacAddress(0)), "5c:cf:7f:00:00:01");
  const seen = new Set<string>();
  for (let seed = 0; seed < 200; seed++) {
    const mac = formatMacAddress(defaultMacAddress(seed));
    assert.ok(mac.startsWith("5c:cf:7f:"));
    seen.add(mac);
  }
  assert.equal(seen.size, 200);
});
