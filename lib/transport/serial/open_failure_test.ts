import assert from "node:assert/strict";
import { busyFailure, groupName } from "./open_failure.ts";

Deno.test("open failure: group names come from /etc/group", () => {
  const text = "root:x:0:\nuucp:x:10:\ndialout:x:20:ci,me\n\nbroken\n";
  assert.equal(groupName(text, 20), "dialout");
  assert.equal(groupName(text, 10), "uucp");
  assert.equal(groupName(text, 5), undefined);
});

Deno.test("open failure: busy names the other holders, not this process", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.writeTextFile(`${root}/dev`, "");
    for (const pid of [Deno.pid, 4321]) {
      await Deno.mkdir(`${root}/proc/${pid}/fd`, { recursive: true });
      await Deno.symlink(`${root}/dev`, `${root}/proc/${pid}/fd/5`);
    }
    await Deno.writeTextFile(`${root}/proc/4321/comm`, "picocom\n");
    const ctx = { path: "/dev/ttyUSB0", device: `${root}/dev`, procRoot: `${root}/proc` };
    const e = await busyFailure(ctx, []);
    assert.equal(e.message, "/dev/ttyUSB0 is in use by process 4321 (picocom)");
    // Only this process holds it (another port object here): then it is named.
    await Deno.remove(`${root}/proc/4321`, { recursive: true });
    assert.match((await busyFailure(ctx, [])).message, new RegExp(`process ${Deno.pid}`));
    // A pid known from the lock file is used as is.
    assert.equal((await busyFailure(ctx, [55])).message, "/dev/ttyUSB0 is in use by process 55");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
