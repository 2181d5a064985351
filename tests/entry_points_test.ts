/**
 * The package's entry points (deno.json "exports"): what each one makes an importer load, and
 * `mod.ts` run as a program. The graphs come from `deno info --json`: static imports (code and
 * types) are what an importer downloads and checks; a dynamic `import()` loads only when it runs.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONFIG = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
  exports: Record<string, string>;
};

interface InfoModule {
  specifier: string;
  kind?: string;
  dependencies?: Array<{
    isDynamic?: boolean;
    code?: { specifier?: string };
    type?: { specifier?: string };
  }>;
}

/** The files and npm packages an import of `entry` loads before any dynamic import runs. */
async function staticGraph(entry: string): Promise<{ files: string[]; npm: string[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: InfoModule[];
    redirects: Record<string, string>;
  };
  const byUrl = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const todo = [...info.roots];
  while (todo.length > 0) {
    const url = todo.pop()!;
    const resolved = info.redirects[url] ?? url;
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    for (const dep of byUrl.get(resolved)?.dependencies ?? []) {
      if (dep.isDynamic) continue;
      for (const to of [dep.code?.specifier, dep.type?.specifier]) if (to) todo.push(to);
    }
  }
  const root = new URL(`file://${ROOT}`).href;
  return {
    files: [...seen].filter((u) => u.startsWith(root)).map((u) => u.slice(root.length)).sort(),
    npm: [...seen].filter((u) => u.startsWith("npm:")).sort(),
  };
}

Deno.test("entry points: none loads the CLI or the Action; only ./sim loads the simulator", async () => {
  for (const [name, path] of Object.entries(CONFIG.exports)) {
    const { files, npm } = await staticGraph(path);
    assert.deepEqual(files.filter((f) => /^(lib\/cli|action)\//.test(f)), [], name);
    if (name !== "./sim") {
      assert.deepEqual(files.filter((f) => f.startsWith("lib/sim/")), [], name);
      assert.ok(!npm.some((p) => p.includes("lua-wasm-bindings")), `${name} loads a Lua VM`);
    }
    if (name !== "./release") {
      assert.ok(!npm.some((p) => p.includes("octokit")), `${name} loads Octokit: ${npm}`);
    }
  }
});

Deno.test("entry points: the job (.) loads no npm package and no release, smoke or test code", async () => {
  const { files, npm } = await staticGraph("mod.ts");
  assert.deepEqual(npm, []);
  assert.deepEqual(files.filter((f) => /^lib\/(release|smoke|testing)\//.test(f)), []);
  assert.ok(files.includes("lib/flasher/flash.ts"));
});

Deno.test("the command line loads GitHub's client and the progress bars only when a run needs them", async () => {
  const { npm } = await staticGraph("lib/cli/main.ts");
  assert.deepEqual(npm.filter((p) => /octokit|cli-progress/.test(p)), [], "start-up time");
});

/** Runs `deno run <permissions> mod.ts <args>`. */
async function runMod(permissions: string[], args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...permissions, "mod.ts", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    clearEnv: true,
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("mod.ts as a program is the command line; a failed start is one line", async () => {
  const ok = await runMod(["--allow-read"], ["--version"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^nodeflash \d+\.\d+\.\d+\n$/);
  // Without read access the command line cannot even be loaded: one line, no stack.
  const denied = await runMod([], ["--version"]);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /^error: cannot start nodeflash: .*--allow-read/);
  assert.equal(denied.stderr.trim().split("\n").length, 1, denied.stderr);
});

Deno.test("info runs without --allow-env: the simulator is not loaded for it", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close(); // nothing listens there now
  const run = await runMod(
    ["--allow-read", "--allow-net=127.0.0.1"],
    ["info", "--port", `socket://127.0.0.1:${port}`],
  );
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /^error: .*127\.0\.0\.1/m);
  assert.doesNotMatch(run.stderr, /NotCapable|FENGARICONF|--allow-env|\n\s+at /);
});
