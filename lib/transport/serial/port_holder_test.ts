import assert from "node:assert/strict";
import { describeProcess, findPortHolders } from "./port_holder.ts";

Deno.test("port holders: processes whose fds point at the device, with their names", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.writeTextFile(`${root}/ttyUSB0`, "");
    await Deno.writeTextFile(`${root}/ttyUSB1`, "");
    await Deno.symlink(`${root}/ttyUSB0`, `${root}/by-id-link`);
    const proc = `${root}/proc`;
    const fds: Record<string, string[]> = {
      "12": [`${root}/ttyUSB0`],
      "7": [`${root}/ttyUSB1`, `${root}/ttyUSB0`],
      "99": [`${root}/ttyUSB1`],
    };
    for (const [pid, targets] of Object.entries(fds)) {
      await Deno.mkdir(`${proc}/${pid}/fd`, { recursive: true });
      for (const [i, t] of targets.entries()) await Deno.symlink(t, `${proc}/${pid}/fd/${i + 3}`);
    }
    await Deno.writeTextFile(`${proc}/12/comm`, "minicom\n");
    await Deno.writeTextFile(`${proc}/7/comm`, "deno\n");
    await Deno.writeTextFile(`${proc}/7/cmdline`, "deno\0run\0-A\0jsr:@x/nodeflash\0flash\0");
    await Deno.mkdir(`${proc}/self`); // not a pid: ignored
    const holders = await findPortHolders(`${root}/by-id-link`, { procRoot: proc });
    assert.deepEqual(holders, [{ pid: 7, name: "nodeflash" }, { pid: 12, name: "minicom" }]);
    assert.deepEqual(await describeProcess(404, { procRoot: proc }), { pid: 404 });
    assert.deepEqual(await findPortHolders(`${root}/ttyUSB0`, { procRoot: `${root}/none` }), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
