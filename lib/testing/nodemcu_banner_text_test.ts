import assert from "node:assert/strict";
import { nodemcuBanner } from "./nodemcu_banner_text.ts";
import { parseNodemcuBanner } from "../image/nodemcu_banner.ts";

Deno.test("composed banners parse back to what was asked, in every style", () => {
  for (const style of ["release", "cloud", "plain"] as const) {
    const parts = nodemcuBanner({
      version: "3.0.0.0",
      style,
      branch: "dev",
      commit: "0123456789abcdef0123456789abcdef01234567",
      ssl: true,
      modules: ["file", "wifi"],
      buildDate: "2021-03-04 05:06",
      lua: "5.3.6",
      sdk: "3.0.5(b29dcd3)",
    });
    assert.equal(parts.text, parts.literal + parts.sdk);
    assert.ok(parts.literal.startsWith("\n"));
    assert.ok(parts.literal.endsWith(" on SDK "));
    const f = parseNodemcuBanner(parts.text);
    assert.equal(f.version, style === "cloud" ? undefined : "3.0.0.0", style);
    assert.equal(f.buildDate, "2021-03-04 05:06", style);
    assert.equal(f.lua, "5.3.6", style);
    assert.equal(f.sdk, "3.0.5(b29dcd3)", style);
    if (style !== "plain") {
      assert.equal(f.branch, "dev");
      assert.equal(f.ssl, true);
      assert.deepEqual(f.modules, ["file", "wifi"]);
    }
  }
  assert.equal(nodemcuBanner({ version: "3.0.0.0" }).sdk, "3.0.1-dev(fce080e)");
  assert.equal(nodemcuBanner({ version: "2.2.0.0" }).sdk, "2.2.1(6ab97e9)");
  assert.match(nodemcuBanner({ version: "1.5.4.1" }).literal, /^\nNodeMCU 1\.5\.4\.1 build /);
});
