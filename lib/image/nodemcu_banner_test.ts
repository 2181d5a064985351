import assert from "node:assert/strict";
import { parseNodemcuBanner } from "./nodemcu_banner.ts";

/** Shapes from real transcripts quoted in docs/boot-log.md A.5. */
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
