import assert from "node:assert/strict";
import { acquireLockFile, lockFileName, parseLockPid } from "./port_lock.ts";

Deno.test("lock file: UUCP name and format, held by a live pid, released only by its owner", async () => {
  const lockDir = await Deno.makeTempDir();
  try {
    const alive = new Set([4242]);
    const opts = { lockDir, processExists: (pid: number) => alive.has(pid) };
    const mine = acquireLockFile("/dev/ttyUSB0", { ...opts, pid: 4242 });
    assert.equal(mine.kind, "acquired");
    assert.equal(await Deno.readTextFile(`${lockDir}/LCK..ttyUSB0`), "      4242\n");
    const theirs = acquireLockFile("/dev/ttyUSB0", { ...opts, pid: 777 });
    assert.deepEqual(theirs, { kind: "held", path: `${lockDir}/LCK..ttyUSB0`, pid: 4242 });
    assert.equal(acquireLockFile("/dev/ttyUSB1", { ...opts, pid: 777 }).kind, "acquired");
    if (mine.kind === "acquired") mine.release();
    await assert.rejects(Deno.stat(`${lockDir}/LCK..ttyUSB0`));
    // No temporary files are left behind.
    const names = [];
    for await (const e of Deno.readDir(lockDir)) names.push(e.name);
    assert.deepEqual(names, ["LCK..ttyUSB1"]);
  } finally {
    await Deno.remove(lockDir, { recursive: true });
  }
});

Deno.test("lock file: stale (dead pid, garbage) files are taken over", async () => {
  const lockDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${lockDir}/LCK..ttyUSB0`, "     31337\n");
    const r = acquireLockFile("/dev/ttyUSB0", { lockDir, pid: 5, processExists: () => false });
    assert.equal(r.kind, "acquired");
    assert.equal(r.kind === "acquired" ? r.staleOwner : -1, 31337);
    await Deno.writeTextFile(`${lockDir}/LCK..ttyACM0`, "not a pid");
    const g = acquireLockFile("/dev/ttyACM0", { lockDir, pid: 5, processExists: () => true });
    assert.equal(g.kind, "acquired");
  } finally {
    await Deno.remove(lockDir, { recursive: true });
  }
});

Deno.test("lock file: a missing lock directory skips the file instead of failing", () => {
  const r = acquireLockFile("/dev/ttyUSB0", {
    lockDir: "/nonexistent/nodeflash-locks",
    processExists: () => true,
  });
  assert.equal(r.kind, "skipped");
});

Deno.test("lock file: names and pid parsing", () => {
  assert.equal(lockFileName("/dev/ttyACM3"), "LCK..ttyACM3");
  assert.equal(lockFileName("/dev/pts/12"), "LCK..pts_12");
  assert.equal(lockFileName("/tmp/x/ttyV0"), "LCK..ttyV0");
  assert.equal(parseLockPid(new TextEncoder().encode("0\n")), null);
  assert.equal(parseLockPid(new TextEncoder().encode("  99  \n")), 99);
});

Deno.test("lock file: removed when the process ends through Deno.exit (a second Ctrl-C)", async () => {
  const lockDir = await Deno.makeTempDir();
  try {
    const module = new URL("./port_lock.ts", import.meta.url).href;
    const script = `
      import { acquireLockFile } from ${JSON.stringify(module)};
      const lock = acquireLockFile("/dev/ttyUSB0", { lockDir: ${
      JSON.stringify(lockDir)
    }, processExists: () => true });
      if (lock.kind !== "acquired") Deno.exit(3);
      await Deno.stat(lock.path); // there while the process runs
      Deno.exit(130);
    `;
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(child.code, 130, new TextDecoder().decode(child.stderr));
    await assert.rejects(Deno.stat(`${lockDir}/LCK..ttyUSB0`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(lockDir, { recursive: true });
  }
});
