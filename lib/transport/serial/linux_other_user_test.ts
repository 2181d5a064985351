/**
 * Linux port behaviour towards other users: the permission error a user outside the device's
 * group gets, and TIOCEXCL keeping non-root openers out (root bypasses it, which is why the port
 * also takes flock and lock-file locks). Runs the second opener as `nobody` through `setpriv`,
 * so it needs root; skipped otherwise.
 */

import assert from "node:assert/strict";
import { openLinuxSerial } from "./linux.ts";
import { PtyPair } from "./pty_pair.ts";

const linux = Deno.build.os === "linux";

async function fixture() {
  const pty = PtyPair.open();
  const lockDir = await Deno.makeTempDir({ prefix: "nodeflash-lock-" });
  return {
    pty,
    open: () => openLinuxSerial(pty.slavePath, { lockDir }),
    async [Symbol.asyncDispose]() {
      pty.close();
      await Deno.remove(lockDir, { recursive: true });
    },
  };
}

function hasProgram(name: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${name}`).isFile;
    } catch {
      return false;
    }
  });
}

/** Runs `openLinuxSerial(path)` as user `nobody` and returns what it threw. */
async function openAsNobody(
  path: string,
): Promise<{ code?: string; message?: string; hint?: string }> {
  const dir = await Deno.makeTempDir({ prefix: "nodeflash-nobody-" });
  await Deno.chmod(dir, 0o777);
  const script = `${dir}/open.ts`;
  const linuxModule = new URL("./linux.ts", import.meta.url).href;
  await Deno.writeTextFile(
    script,
    `import { openLinuxSerial } from ${JSON.stringify(linuxModule)};
try {
  const port = await openLinuxSerial(${JSON.stringify(path)}, { lockFile: "off" });
  await port.close();
  console.log("{}");
} catch (e) {
  console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint }));
}`,
  );
  await Deno.chmod(script, 0o644);
  try {
    const out = await new Deno.Command("setpriv", {
      args: [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        Deno.execPath(),
        "run",
        "-A",
        "--no-check",
        script,
      ],
      env: { DENO_DIR: `${dir}/deno`, PATH: Deno.env.get("PATH") ?? "" },
      clearEnv: true,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const asRootWithSetpriv = linux && Deno.uid() === 0 && hasProgram("setpriv");

Deno.test({
  name:
    "linux port: a user outside the device's group gets port/permission with the usermod recipe",
  ignore: !asRootWithSetpriv, // needs root to switch to another user
  async fn() {
    await using f = await fixture();
    await Deno.chmod(f.pty.slavePath, 0o600);
    const result = await openAsNobody(f.pty.slavePath);
    assert.equal(result.code, "port/permission", JSON.stringify(result));
    assert.equal(result.message, `Permission denied opening ${f.pty.slavePath}`);
    assert.match(result.hint ?? "", /sudo usermod -aG dialout \$USER/);
  },
});

Deno.test({
  name: "linux port: TIOCEXCL keeps a non-root process out even without lock files",
  ignore: !asRootWithSetpriv, // needs root to switch to another user
  async fn() {
    await using f = await fixture();
    await Deno.chmod(f.pty.slavePath, 0o666);
    const port = await f.open();
    try {
      const result = await openAsNobody(f.pty.slavePath);
      assert.equal(result.code, "port/busy", JSON.stringify(result));
    } finally {
      await port.close();
    }
    const after = await openAsNobody(f.pty.slavePath); // released: nobody may open it now
    assert.deepEqual(after, {});
  },
});
