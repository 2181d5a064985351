import assert from "node:assert/strict";
import { findNodemcuBanner, nodemcuBanner, parseNodemcuBanner } from "./nodemcu_banner.ts";

/** Shapes from real transcripts quoted in docs/field.md A.5. */
const CLOUD_3X = "\nNodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com\n" +
  "\tbranch: master\n\tcommit: 71a182caa7841f8a8e3ad2ca1e5e9bcd0c0ce1c8\n\trelease: \n" +
  "\trelease DTS: 202001061321\n\tSSL: false\n\tbuild type: float\n\tLFS: 0x0\n" +
  "\tmodules: dht,file,gpio,net,node,tmr,uart,wifi\n" +
  " build 2020-02-01 19:59 powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)";

Deno.test("3.x cloud banner: every field", () => {
  assert.deepEqual(parseNodemcuBanner(CLOUD_3X), {
    version: "3.0.0.0",
    prolog: "built on nodemcu-build.com provided by frightanic.com",
    branch: "master",
    commit: "71a182caa7841f8a8e3ad2ca1e5e9bcd0c0ce1c8",
    release: "",
    releaseDts: "202001061321",
    ssl: false,
    buildType: "float",
    lfs: "0x0",
    lfsBytes: 0,
    modules: ["dht", "file", "gpio", "net", "node", "tmr", "uart", "wifi"],
    buildDate: "2020-02-01 19:59",
    lua: "5.1.4",
    sdk: "3.0.1-dev(fce080e)",
  });
});

Deno.test("older shapes: cloud builder 2017, Docker 2.x, plain 2.1, 0.9.5, Lua 5.3, local release", () => {
  const cloud = parseNodemcuBanner(
    "\nNodeMCU custom build by frightanic.com\n\tbranch: master\n\tcommit: 11592951b90707cdcb6d751876170bf4da82850d\n" +
      "\tSSL: true\n\tmodules: adc,bit,file\n build \tbuilt on: 2017-08-30 18:00\n" +
      " powered by Lua 5.1.4 on SDK 2.1.0(116b762)",
  );
  assert.equal(cloud.version, undefined);
  assert.equal(cloud.prolog, "custom build by frightanic.com");
  assert.equal(cloud.ssl, true);
  assert.deepEqual(cloud.modules, ["adc", "bit", "file"]);
  assert.equal(cloud.buildDate, "2017-08-30 18:00");
  assert.equal(cloud.sdk, "2.1.0(116b762)");

  const docker = parseNodemcuBanner(
    "\nNodeMCU  built with Docker provided by frightanic.com\n\tbranch: dev\n\tcommit: abc\n" +
      "\tSSL: false\n2.2.0.0 build created on 2018-07-29 04:28\n powered by Lua 5.1.4 on SDK 2.2.1(6ab97e9)",
  );
  assert.equal(docker.version, "2.2.0.0");
  assert.equal(docker.prolog, "built with Docker provided by frightanic.com");
  assert.equal(docker.branch, "dev");
  assert.equal(docker.buildDate, "2018-07-29 04:28");

  const plain = parseNodemcuBanner(
    "\nNodeMCU 2.1.0 build unspecified powered by Lua 5.1.4 on SDK 2.1.0(116b762)",
  );
  assert.deepEqual(plain, {
    version: "2.1.0",
    buildDate: "unspecified",
    lua: "5.1.4",
    sdk: "2.1.0(116b762)",
  });

  const old = parseNodemcuBanner("\nNodeMCU 0.9.5 build 20150318  powered by Lua 5.1.4");
  assert.deepEqual(old, { version: "0.9.5", buildDate: "20150318", lua: "5.1.4" });

  assert.equal(parseNodemcuBanner(CLOUD_3X.replace("Lua 5.1.4", "Lua 5.3.5")).lua, "5.3.5");
  const local = parseNodemcuBanner(
    CLOUD_3X.replace("\trelease: \n", "\trelease: 3.0-master_20200910 +61\n").replace(
      "built on nodemcu-build.com provided by frightanic.com",
      "",
    ),
  );
  assert.equal(local.release, "3.0-master_20200910 +61");
  assert.equal(local.prolog, "", "a 3.x banner's first line with nothing after the version");
});

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

function embed(...strings: string[]): Uint8Array {
  const parts = strings.map((s) => new TextEncoder().encode(s));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 8, 8));
  let at = 4;
  for (const p of parts) {
    out.set([0xa5, 0x5a, 0x00], at); // binary noise, then the NUL that ends the previous string
    out.set(p, at + 3);
    at += p.length + 8;
  }
  return out;
}

Deno.test("findNodemcuBanner joins the literal with the separate SDK string", () => {
  const { literal, sdk, text } = nodemcuBanner({ version: "3.0.0.0" });
  const bytes = embed("NodeMCU is great", literal, "other", sdk);
  const found = findNodemcuBanner(bytes);
  assert.ok(found);
  assert.equal(found.text, text);
  assert.equal(found.offset, new TextDecoder("latin1").decode(bytes).indexOf(literal));
  assert.equal(found.version, "3.0.0.0");
  assert.equal(found.sdk, "3.0.1-dev(fce080e)");
});

Deno.test("findNodemcuBanner: no banner, a version-only string, and a banner without SDK string", () => {
  assert.equal(findNodemcuBanner(embed("hello", "NodeMCU rocks")), undefined);
  assert.equal(findNodemcuBanner(new Uint8Array(1000)), undefined);
  const versionOnly = findNodemcuBanner(embed("NodeMCU 1.5.4.1"));
  assert.equal(versionOnly?.version, "1.5.4.1");
  const { literal } = nodemcuBanner({ version: "2.2.0.0" });
  const noSdk = findNodemcuBanner(embed(literal));
  assert.equal(noSdk?.text, literal);
  assert.equal(noSdk?.sdk, undefined);
  // A banner string at the very start and end of the buffer.
  assert.equal(
    findNodemcuBanner(new TextEncoder().encode("NodeMCU 2.1.0 build x powered by Lua 5.1.4"))
      ?.buildDate,
    "x",
  );
});
