import assert from "node:assert/strict";
import { INPUT_NAMES, inputEnvName, inputsFromEnv, parseInputs } from "./inputs.ts";

const base = { firmware: "*-float.bin" };

/** Asserts that parsing fails with a user error naming `input`, and returns its message. */
function rejects(raw: Record<string, string>, input: string): string {
  let message = "";
  assert.throws(
    () => parseInputs(raw),
    (e: Error & { code?: string; kind?: string; hint?: string }) => {
      message = e.message;
      assert.equal(e.kind, "user");
      assert.equal(e.code, `input/${input}`);
      assert.ok(e.message.startsWith(`input '${input}': `), e.message);
      assert.ok((e.hint ?? "").length > 0, "a hint");
      return true;
    },
  );
  return message;
}

Deno.test("inputs: every input has its own environment variable", () => {
  const names = INPUT_NAMES.map(inputEnvName);
  assert.equal(new Set(names).size, INPUT_NAMES.length);
  assert.equal(inputEnvName("init-data"), "NODEFLASH_INPUT_INIT_DATA");
  const env: Record<string, string> = {};
  INPUT_NAMES.forEach((name, i) => env[inputEnvName(name)] = `value-${i}`);
  const raw = inputsFromEnv({ ...env, INPUT_FIRMWARE: "ignored", GITHUB_TOKEN: "not an input" });
  INPUT_NAMES.forEach((name, i) => assert.equal(raw[name], `value-${i}`));
  assert.deepEqual(Object.keys(raw), [...INPUT_NAMES]);
});

Deno.test("inputs: defaults", () => {
  const config = parseInputs(base);
  assert.deepEqual(config, {
    repository: undefined,
    release: { kind: "triggering" },
    firmware: { kind: "asset", glob: "*-float.bin" },
    initData: { kind: "none" },
    ports: { kind: "auto" },
    baud: "auto",
    flashMode: "keep",
    flashSize: "detect",
    erase: "none",
    smoke: "on",
    smokeTimeoutMs: 20_000, // action.yml's default of 20 seconds
    probe: undefined,
    luaFiles: undefined,
    luaTests: [],
    token: "",
  });
  // what action.yml's defaults give is the same as empty
  assert.deepEqual(
    parseInputs({
      ...base,
      "init-data": "none",
      ports: "auto",
      baud: "auto",
      "flash-mode": "keep",
      "flash-size": "detect",
      erase: "none",
      smoke: "true",
      "smoke-timeout": "20",
    }),
    config,
  );
});

Deno.test("inputs: repository", () => {
  assert.equal(
    parseInputs({ ...base, repository: " nodemcu/nodemcu-firmware " }).repository,
    "nodemcu/nodemcu-firmware",
  );
  rejects({ ...base, repository: "nodemcu" }, "repository");
  rejects({ ...base, repository: "a/b/c" }, "repository");
  assert.match(rejects({ ...base, repository: "nodemcu/fw@v1" }, "repository"), /not owner\/repo/);
});

Deno.test("inputs: release", () => {
  const release = (text: string) => parseInputs({ ...base, release: text }).release;
  assert.deepEqual(release("latest"), { kind: "latest" });
  assert.deepEqual(release("3.0.0-release_20240225"), {
    kind: "tag",
    tag: "3.0.0-release_20240225",
  });
  assert.deepEqual(release("2024"), { kind: "tag", tag: "2024" }, "a bare number is a tag");
  assert.deepEqual(release("id:123"), { kind: "id", id: 123 });
  assert.deepEqual(release("tag:latest"), { kind: "tag", tag: "latest" });
  assert.deepEqual(release(""), { kind: "triggering" });
  assert.match(rejects({ ...base, release: "id:abc" }, "release"), /'id:abc'/);
  assert.match(rejects({ ...base, release: "v 1" }, "release"), /'v 1' is not latest, a tag or id/);
  rejects({ ...base, release: "v1..2" }, "release");
});

Deno.test("inputs: firmware is an asset glob, or a path when it has a slash", () => {
  const firmware = (text: string) => parseInputs({ firmware: text }).firmware;
  assert.deepEqual(firmware("nodemcu-*-float.bin"), { kind: "asset", glob: "nodemcu-*-float.bin" });
  assert.deepEqual(firmware("./bin/nodemcu.bin"), { kind: "path", path: "./bin/nodemcu.bin" });
  assert.deepEqual(firmware("build/fw.bin"), { kind: "path", path: "build/fw.bin" });
  assert.match(rejects({}, "firmware"), /is required/);
  assert.match(rejects({ firmware: "../outside.bin" }, "firmware"), /leaves the workspace/);
  rejects({ firmware: "/etc/passwd" }, "firmware");
  rejects({ firmware: "a.bin b.bin" }, "firmware");
});

Deno.test("inputs: init-data", () => {
  const initData = (text: string) => parseInputs({ ...base, "init-data": text }).initData;
  assert.deepEqual(initData("none"), { kind: "none" });
  assert.deepEqual(initData("NONE"), { kind: "none" });
  assert.deepEqual(initData("default"), { kind: "default" });
  assert.deepEqual(initData("esp_init_data_*.bin"), { kind: "asset", glob: "esp_init_data_*.bin" });
  assert.deepEqual(initData("./sdk/esp_init_data_default.bin"), {
    kind: "path",
    path: "./sdk/esp_init_data_default.bin",
  });
  rejects({ ...base, "init-data": "../x.bin" }, "init-data");
});

Deno.test("inputs: ports", () => {
  const ports = (text: string) => parseInputs({ ...base, ports: text }).ports;
  assert.deepEqual(ports("auto"), { kind: "auto" });
  assert.deepEqual(ports(""), { kind: "auto" });
  assert.deepEqual(ports("/dev/nodemcu-a\n\n  rfc2217://10.0.0.2:4000  \r\nsim://\n"), {
    kind: "list",
    ports: ["/dev/nodemcu-a", "rfc2217://10.0.0.2:4000", "sim://"],
  });
  assert.match(rejects({ ...base, ports: "/dev/a\n/dev/a" }, "ports"), /listed twice/);
  assert.match(rejects({ ...base, ports: "auto\n/dev/a" }, "ports"), /auto/);
  rejects({ ...base, ports: "/dev/a /dev/b" }, "ports");
});

Deno.test("inputs: baud", () => {
  assert.equal(parseInputs({ ...base, baud: "921600" }).baud, 921600);
  assert.equal(parseInputs({ ...base, baud: "auto" }).baud, "auto");
  assert.equal(parseInputs({ ...base, baud: "115200" }).baud, 115200);
  for (const bad of ["fast", "0", "-1", "460800.5", "1200", "99999999"]) {
    assert.match(
      rejects({ ...base, baud: bad }, "baud"),
      new RegExp(`'${bad.replace(".", "\\.")}'`),
    );
  }
});

Deno.test("inputs: flash-mode and flash-size through the library's parsers", () => {
  const notes: string[] = [];
  const c = parseInputs({ ...base, "flash-mode": "DIO", "flash-size": "32m" }, {
    onNote: (note) => notes.push(note),
  });
  assert.equal(c.flashMode, "dio");
  assert.equal(c.flashSize, "4MB");
  assert.deepEqual(notes, ["32m is the NodeMCU guide's megabit name: 32 Mbit = 4MB"]);
  // 4M reads as 4 MB to some and 4 Mbit (512KB) to others: refused with both readings.
  assert.match(rejects({ ...base, "flash-size": "4M" }, "flash-size"), /4MB.*512KB/);
  assert.equal(parseInputs({ ...base, "flash-size": "keep" }).flashSize, "keep");
  assert.match(rejects({ ...base, "flash-mode": "quad" }, "flash-mode"), /quad/);
  assert.match(rejects({ ...base, "flash-size": "3MB" }, "flash-size"), /3MB/);
});

Deno.test("inputs: erase and smoke", () => {
  assert.equal(parseInputs({ ...base, erase: "all" }).erase, "all");
  rejects({ ...base, erase: "everything" }, "erase");
  assert.equal(parseInputs({ ...base, smoke: "false" }).smoke, "off");
  assert.equal(parseInputs({ ...base, smoke: "True" }).smoke, "on");
  assert.match(rejects({ ...base, smoke: "yes" }, "smoke"), /not a boolean/);
});

Deno.test("inputs: smoke-timeout", () => {
  assert.equal(parseInputs({ ...base, "smoke-timeout": "45" }).smokeTimeoutMs, 45_000);
  assert.equal(parseInputs({ ...base, "smoke-timeout": "0.5" }).smokeTimeoutMs, 500);
  for (const bad of ["0", "-3", "soon", "7200"]) {
    rejects({ ...base, "smoke-timeout": bad }, "smoke-timeout");
  }
});

Deno.test("inputs: lua and expect go together, with the smoke test", () => {
  const probe = parseInputs({ ...base, lua: "print(1+1)", expect: "^2$" }).probe;
  assert.equal(probe?.lua, "print(1+1)");
  assert.ok(probe?.expect.test("2"));
  rejects({ ...base, lua: "print(1)" }, "lua");
  rejects({ ...base, expect: "^1$" }, "expect");
  assert.match(rejects({ ...base, lua: "print(1)", expect: "1", smoke: "false" }, "lua"), /smoke/);
  rejects({ ...base, lua: "print(1)\nprint(2)", expect: "1" }, "lua");
  assert.match(rejects({ ...base, lua: "print(1)", expect: "([" }, "expect"), /regular expression/);
});

Deno.test("inputs: the token is kept as given and named in no error", () => {
  assert.equal(parseInputs({ ...base, token: "ghs_secret" }).token, "ghs_secret");
  const message = rejects({ firmware: "", token: "ghs_secret" }, "firmware");
  assert.ok(!message.includes("ghs_secret"));
});
