import assert from "node:assert/strict";
import { findBanners, parseBanner } from "./banner.ts";
import { BANNERS } from "./testing/transcripts.ts";

for (const era of BANNERS) {
  Deno.test(`banner: ${era.name}`, () => {
    assert.deepEqual(parseBanner(era.console), era.fields);
  });
}

Deno.test("banner: the 2015 cloud form without an SDK, and ESP32 for contrast", () => {
  const text = "NodeMCU custom build by frightanic.com\r\n\tbranch: master\r\n" +
    "\tcommit: 0ad574705d1a22b9ebc62bc198e6db9e792244e0\r\n\tSSL: false\r\n" +
    "\tmodules: node,file,gpio,wifi,net\r\n build \tbuilt on: 2015-06-05 11:56\r\n" +
    "  powered by Lua 5.1.4\r\n";
  assert.deepEqual(parseBanner(text), {
    prolog: "custom build by frightanic.com",
    branch: "master",
    commit: "0ad574705d1a22b9ebc62bc198e6db9e792244e0",
    ssl: false,
    modules: ["node", "file", "gpio", "wifi", "net"],
    buildDate: "2015-06-05 11:56",
    lua: "5.1.4",
  });
  const esp32 = parseBanner(
    "NodeMCU ESP32 build unspecified powered by Lua 5.1.4 [5.1-doublefp] on IDF v4.4.3\r\n",
  );
  assert.equal(esp32?.version, undefined);
  assert.equal(esp32?.lua, "5.1.4");
});

Deno.test("banner: tolerates ROM noise before it and finds each banner of a boot loop", () => {
  const noise = "\u00f8\u0080\u00fe\u0000\u001e\u00e0";
  const banner = BANNERS[4]!.console;
  const found = findBanners(noise + banner + noise + banner);
  assert.equal(found.length, 2);
  assert.equal(found[0]!.at, noise.length + 2);
  assert.ok(found[1]!.at > found[0]!.end);
  assert.deepEqual(found[1]!.fields, BANNERS[4]!.fields);
});

Deno.test("banner: an incomplete banner is not reported until its powered-by line ends", () => {
  const banner = BANNERS[4]!.console;
  const cut = banner.indexOf("powered by") + 20;
  assert.equal(parseBanner(banner.slice(0, cut)), undefined);
  assert.equal(parseBanner("\r\nNodeMCU 3.0.0.0 \r\n\tbranch: dev\r\n"), undefined);
});

Deno.test("banner: a lost first line still yields the key lines and versions", () => {
  const banner = BANNERS[4]!.console;
  const firstLineEnd = banner.indexOf("\r\n", 2) + 2;
  const fields = parseBanner("\u00fe\u00f0\u0080" + banner.slice(firstLineEnd));
  assert.equal(fields?.version, undefined);
  assert.equal(fields?.branch, "dev");
  assert.equal(fields?.sdk, "3.0.1-dev(fce080e)");
});
