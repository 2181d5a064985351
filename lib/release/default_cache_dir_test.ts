import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultCacheDir } from "./default_cache_dir.ts";

const tail = join("nodeflash", "releases");

Deno.test("defaultCacheDir prefers the runner's tool cache, then the platform cache, then RUNNER_TEMP", () => {
  const env = { RUNNER_TOOL_CACHE: "/opt/hostedtoolcache", HOME: "/home/r", RUNNER_TEMP: "/tmp/r" };
  assert.equal(defaultCacheDir(env, { os: "linux" }), join("/opt/hostedtoolcache", tail));
  assert.equal(
    defaultCacheDir({ ...env, RUNNER_TOOL_CACHE: "" }, { os: "linux" }),
    join("/home/r/.cache", tail),
  );
  assert.equal(defaultCacheDir({ RUNNER_TEMP: "/tmp/r" }, { os: "linux" }), join("/tmp/r", tail));
  assert.equal(defaultCacheDir({}, { os: "linux" }), undefined);
});

Deno.test("defaultCacheDir follows each platform's convention", () => {
  assert.equal(
    defaultCacheDir({ HOME: "/h", XDG_CACHE_HOME: "/xdg" }, { os: "linux" }),
    join("/xdg", tail),
  );
  assert.equal(
    defaultCacheDir({ HOME: "/Users/me" }, { os: "darwin" }),
    join("/Users/me/Library/Caches", tail),
  );
  assert.equal(
    defaultCacheDir({ LOCALAPPDATA: "C:/Users/me/AppData/Local" }, { os: "windows" }),
    join("C:/Users/me/AppData/Local", tail),
  );
  assert.equal(defaultCacheDir({ HOME: "/h" }, { os: "windows" }), undefined);
});
