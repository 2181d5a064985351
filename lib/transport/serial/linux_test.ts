import assert from "node:assert/strict";
import { isNodeflashError } from "../../errors.ts";
import type { TransportEvent } from "../transport_event.ts";
import type { Transport } from "../types.ts";
import { openLinuxSerial } from "./linux.ts";
import { summarizeTermios2 } from "./linux_termios.ts";
import { lockFileName } from "./port_lock.ts";
import { PtyPair } from "./pty_pair.ts";

const linux = Deno.build.os === "linux";
const ignore = !linux;

/** Fails (instead of hanging the suite) when `promise` does not settle in `ms`. */
async function settles<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function readBytes(port: Transport, count: number): Promise<Uint8Array> {
  const reader = port.readable.getReader();
  const out = new Uint8Array(count);
  let got = 0;
  try {
    while (got < count) {
      const { value, done } = await settles(reader.read(), `reading byte ${got} of ${count}`);
      if (done) throw new Error(`stream ended after ${got} of ${count} bytes`);
      out.set(value.subarray(0, count - got), got);
      got += Math.min(value.length, count - got);
    }
  } finally {
    reader.releaseLock();
  }
  return out;
}

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

interface Fixture {
  pty: PtyPair;
  lockDir: string;
  events: TransportEvent[];
  open: (baudRate?: number) => Promise<Transport>;
  [Symbol.asyncDispose]: () => Promise<void>;
}

async function fixture(): Promise<Fixture> {
  const pty = PtyPair.open();
  const lockDir = await Deno.makeTempDir({ prefix: "nodeflash-lock-" });
  const events: TransportEvent[] = [];
  return {
    pty,
    lockDir,
    events,
    open: (baudRate = 115200) =>
      openLinuxSerial(pty.slavePath, { baudRate, lockDir, onEvent: (e) => events.push(e) }),
    async [Symbol.asyncDispose]() {
      pty.close();
      await Deno.remove(lockDir, { recursive: true });
    },
  };
}

Deno.test({
  name: "linux port: raw 8N1 with VMIN=1 on a cooked pty, baud read back with TCGETS2",
  ignore,
  async fn() {
    await using f = await fixture();
    // Make the slave look like a fresh pty again (cooked, echoing), so raw mode is our doing.
    const cooked = f.pty.slaveTermios();
    const v = new DataView(cooked.buffer);
    v.setUint32(0, v.getUint32(0, true) | 0o400 | 0o2000, true); // ICRNL | IXON
    v.setUint32(4, v.getUint32(4, true) | 0o1, true); // OPOST
    v.setUint32(12, v.getUint32(12, true) | 0o10 | 0o2 | 0o1, true); // ECHO | ICANON | ISIG
    f.pty.setSlaveTermios(cooked);
    assert.equal(summarizeTermios2(f.pty.slaveTermios()).raw, false);

    const port = await f.open(74880);
    const t = summarizeTermios2(f.pty.slaveTermios());
    assert.deepEqual(
      {
        raw: t.raw,
        eightN1: t.eightN1,
        localAndRead: t.localAndRead,
        vmin: t.vmin,
        vtime: t.vtime,
      },
      { raw: true, eightN1: true, localAndRead: true, vmin: 1, vtime: 0 },
    );
    assert.equal(t.baud, 74880);
    assert.equal(f.pty.baudRate(), 74880); // the master sees the slave's speed
    await port.setBaudRate(921600);
    assert.equal(f.pty.baudRate(), 921600);
    assert.equal(summarizeTermios2(f.pty.slaveTermios()).inputBaud, 921600);
    assert.equal(port.baudRate, 921600);
    // Control characters pass untouched in raw mode.
    const special = new Uint8Array([0x03, 0x0d, 0x11, 0x13, 0x0a, 0x7f, 0x04]);
    await f.pty.write(special);
    assert.deepEqual(await readBytes(port, special.length), special);
    await port.write(special);
    assert.deepEqual(await f.pty.readExactly(special.length), special);
    await port.close();
  },
});

Deno.test({
  name: "linux port: 1 MiB each way, at the same time, arrives intact",
  ignore,
  async fn() {
    await using f = await fixture();
    const port = await f.open(921600);
    const out = randomBytes(1 << 20);
    const back = randomBytes(1 << 20);
    const [, atDevice, atHost] = await Promise.all([
      port.write(out),
      f.pty.readExactly(out.length),
      readBytes(port, back.length),
      f.pty.write(back),
    ]);
    assert.ok(atDevice.every((b, i) => b === out[i]), "host -> device bytes differ");
    assert.ok(atHost.every((b, i) => b === back[i]), "device -> host bytes differ");
    await port.drain();
    await port.close();
  },
});

Deno.test({
  name: "linux port: close ends a pending read, and the next open gets the later bytes",
  ignore,
  async fn() {
    await using f = await fixture();
    const first = await f.open();
    const reader = first.readable.getReader();
    const pending = reader.read();
    await first.close();
    assert.deepEqual(await settles(pending, "the pending read"), { value: undefined, done: true });
    await assert.rejects(first.write(new Uint8Array([1])), { code: "port/closed" });
    await first.close(); // twice is harmless

    const later = new TextEncoder().encode("bytes sent between two opens");
    await f.pty.write(later);
    const second = await f.open();
    assert.deepEqual(await readBytes(second, later.length), later);
    await second.close();
    assert.equal(f.events.filter((e) => e.type === "stale-lock").length, 0);
  },
});

Deno.test({
  name: "linux port: a second open is refused with port/busy naming the holder, also as root",
  ignore,
  async fn() {
    await using f = await fixture();
    const port = await f.open();
    // Through the lock file...
    await assert.rejects(f.open(), (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.code, "port/busy");
      assert.match(e.message, new RegExp(`in use by process ${Deno.pid}\\b`));
      assert.match(e.hint ?? "", /brltty/);
      return true;
    });
    // ...and through flock alone (no lock file), which holds between root processes too.
    await assert.rejects(
      openLinuxSerial(f.pty.slavePath, { lockFile: "off" }),
      (e) => isNodeflashError(e) && e.code === "port/busy" && e.message.includes(`${Deno.pid}`),
    );
    // The lock file holds our pid in the UUCP format.
    const lock = await Deno.readTextFile(`${f.lockDir}/${lockFileName(f.pty.slavePath)}`);
    assert.equal(lock, `${String(Deno.pid).padStart(10)}\n`);
    await port.close();
    await assert.rejects(Deno.stat(`${f.lockDir}/${lockFileName(f.pty.slavePath)}`));
    const again = await f.open(); // released on close
    await again.close();
  },
});

Deno.test({
  name: "linux port: another process is refused with the holder's pid (lock file and flock)",
  ignore,
  async fn() {
    await using f = await fixture();
    const port = await f.open();
    const script = await Deno.makeTempFile({ suffix: ".ts" });
    const linuxModule = new URL("./linux.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { openLinuxSerial } from ${JSON.stringify(linuxModule)};
const [path, lockDir, lockFile] = Deno.args;
try {
  const p = await openLinuxSerial(path, { lockDir, lockFile: lockFile === "off" ? "off" : "auto" });
  await p.close();
  console.log(JSON.stringify({ opened: true }));
} catch (e) {
  console.log(JSON.stringify({ code: e.code, message: e.message }));
}`,
    );
    try {
      for (const lockFile of ["auto", "off"]) {
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--no-check", script, f.pty.slavePath, f.lockDir, lockFile],
          stdout: "piped",
          stderr: "inherit",
        }).output();
        const result = JSON.parse(new TextDecoder().decode(out.stdout));
        assert.equal(result.code, "port/busy", `lockFile=${lockFile}: ${JSON.stringify(result)}`);
        assert.match(result.message, new RegExp(`process ${Deno.pid}\\b`));
      }
    } finally {
      await Deno.remove(script);
      await port.close();
    }
  },
});

Deno.test({
  name: "linux port: a lock file left by a dead process is taken over",
  ignore,
  async fn() {
    await using f = await fixture();
    const child = new Deno.Command("true").spawn();
    const deadPid = child.pid;
    await child.status;
    const lockPath = `${f.lockDir}/${lockFileName(f.pty.slavePath)}`;
    await Deno.writeTextFile(lockPath, `${String(deadPid).padStart(10)}\n`);
    const port = await f.open();
    assert.deepEqual(f.events.filter((e) => e.type === "stale-lock"), [
      { type: "stale-lock", url: f.pty.slavePath, lockFile: lockPath, pid: deadPid },
    ]);
    assert.equal((await Deno.readTextFile(lockPath)).trim(), String(Deno.pid));
    await port.close();
  },
});

Deno.test({
  name: "linux port: modem ioctls failing with ENOTTY on a pty are tolerated and reported once",
  ignore,
  async fn() {
    await using f = await fixture();
    const port = await f.open();
    assert.equal(port.info.modemLines, false);
    await port.setSignals({ dtr: true, rts: false });
    await port.setSignals({ dtr: false, rts: true });
    const reports = f.events.filter((e) => e.type === "no-modem-lines");
    assert.equal(reports.length, 1);
    assert.match(reports[0]!.type === "no-modem-lines" ? reports[0]!.reason : "", /ENOTTY/);
    await port.close();
  },
});

Deno.test({
  name: "linux port: the device vanishing mid-read gives port/disconnected, never a hang",
  ignore,
  async fn() {
    await using f = await fixture();
    const port = await f.open();
    const reader = port.readable.getReader();
    const pending = reader.read();
    f.pty.closeMaster();
    await assert.rejects(settles(pending, "the read after hang-up"), { code: "port/disconnected" });
    await assert.rejects(
      settles(port.write(new Uint8Array(100_000)), "a write after hang-up"),
      { code: "port/disconnected" },
    );
    await settles(port.close(), "close after hang-up");
  },
});

Deno.test({
  name: "linux port: discardInput drops what arrived and keeps what comes after",
  ignore,
  async fn() {
    await using f = await fixture();
    const port = await f.open();
    await f.pty.write(new TextEncoder().encode("stale boot log"));
    await port.discardInput();
    const fresh = new TextEncoder().encode("fresh");
    await f.pty.write(fresh);
    assert.deepEqual(await readBytes(port, fresh.length), fresh);
    await port.close();
  },
});

Deno.test({
  name: "linux port: aborting the open's signal closes the port",
  ignore,
  async fn() {
    await using f = await fixture();
    const controller = new AbortController();
    const port = await openLinuxSerial(f.pty.slavePath, {
      lockDir: f.lockDir,
      signal: controller.signal,
    });
    const pending = port.readable.getReader().read();
    controller.abort();
    assert.equal((await settles(pending, "read after abort")).done, true);
    await port.close();
    const again = await f.open(); // the lock was released
    await again.close();
  },
});

Deno.test({
  name: "linux port: a missing device is port/not-found listing the ports that exist",
  ignore,
  async fn() {
    const lockDir = await Deno.makeTempDir();
    try {
      await assert.rejects(
        openLinuxSerial("/dev/ttyUSB-nodeflash-missing", {
          lockDir,
          listPortPaths: () => Promise.resolve(["/dev/ttyUSB0", "/dev/ttyACM0"]),
        }),
        (e) =>
          isNodeflashError(e) && e.code === "port/not-found" &&
          e.message.includes("/dev/ttyUSB-nodeflash-missing") &&
          (e.hint ?? "").includes("/dev/ttyUSB0, /dev/ttyACM0"),
      );
    } finally {
      await Deno.remove(lockDir, { recursive: true });
    }
  },
});
