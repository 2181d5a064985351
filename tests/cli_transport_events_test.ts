/**
 * What the transport reports reaches the user: through the CLI, on ports that really produce the
 * events. A pty opened through the serial FFI code has no modem lines (found when it opens); a
 * stale UUCP lock file for it is taken over; ser2net in front of that pty never acknowledges
 * SET-CONTROL. Raw TCP (`socket://`) emits no transport event at all: it has no modem lines from
 * the start, and the flasher's own note says so.
 */

import assert from "node:assert/strict";
import { startSimServer } from "../lib/sim/mod.ts";
import { lockFileName } from "../lib/transport/serial/port_lock.ts";
import { runCli } from "./support/run_cli.ts";
import { SER2NET, startSer2net } from "./support/ser2net.ts";

const linux = Deno.build.os === "linux";

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Runs `fn` with a simulated board behind a pty (in ROM download mode: no lines to reset it). */
async function withPtyBoard(fn: (path: string) => Promise<void>): Promise<void> {
  const server = await startSimServer({ kind: "pty", boardOptions: { flashSize: "1MB" } });
  try {
    await fn(server.url);
  } finally {
    await server.close();
  }
}

Deno.test({
  name: "cli: a port without modem lines is noted once on stderr, before connecting",
  ignore: !linux,
  async fn() {
    await withPtyBoard(async (pty) => {
      const run = await runCli(["info", "-p", pty, "--before", "default-reset"]);
      assert.equal(run.code, 0, run.stderr);
      const note = `note: no DTR/RTS control on ${pty}: ENOTTY`;
      assert.equal(count(run.stderr, note), 1, run.stderr);
      assert.ok(run.stderr.indexOf(note) < run.stderr.indexOf("Connecting to"), run.stderr);
      assert.ok(!run.stdout.includes("DTR/RTS control"));
    });
  },
});

Deno.test({
  name: "cli: with --json the transport's note is one JSON event on stdout, nothing on stderr",
  ignore: !linux,
  async fn() {
    await withPtyBoard(async (pty) => {
      const run = await runCli(["info", "-p", pty, "--json"]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!run.stderr.includes("DTR/RTS control"), run.stderr);
      const events = run.json();
      const notes = events.filter((e) => e.code === "transport/no-modem-lines");
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.type, "note");
      assert.match(String(notes[0]!.message), /^no DTR\/RTS control on \/dev\/pts\/\d+: ENOTTY/);
      assert.ok(events.indexOf(notes[0]!) < events.findIndex((e) => e.type === "connect-attempt"));
      assert.equal(events.at(-1)!.type, "result");
    });
  },
});

/** The UUCP lock directory when this process may write it (root on most machines). */
function writableLockDir(): string | undefined {
  if (!linux) return undefined;
  try {
    const probe = `/run/lock/nodeflash-probe-${Deno.pid}`;
    Deno.writeTextFileSync(probe, "");
    Deno.removeSync(probe);
    return "/run/lock";
  } catch {
    return undefined;
  }
}

const lockDir = writableLockDir();

Deno.test({
  name: "cli: a stale lock file left by a dead process is taken over and said once",
  ignore: lockDir === undefined,
  async fn() {
    await withPtyBoard(async (pty) => {
      const exited = new Deno.Command("true").spawn();
      await exited.status; // reaped: its pid runs nothing now
      const lockFile = `${lockDir}/${lockFileName(pty)}`;
      await Deno.writeTextFile(lockFile, `${String(exited.pid).padStart(10)}\n`);
      try {
        const run = await runCli(["info", "-p", pty]);
        assert.equal(run.code, 0, run.stderr);
        const note = `note: ${pty}: took over the lock file ${lockFile} left by process ` +
          `${exited.pid}, which no longer runs`;
        assert.equal(count(run.stderr, note), 1, run.stderr);
        // the lock was nodeflash's for the run, and released at the end
        await assert.rejects(Deno.stat(lockFile), Deno.errors.NotFound);
      } finally {
        await Deno.remove(lockFile).catch(() => {});
      }
    });
  },
});

Deno.test({
  name: "cli: ser2net that never acknowledges SET-CONTROL gives one warning and one note",
  ignore: !linux || SER2NET === undefined,
  async fn() {
    await withPtyBoard(async (pty) => {
      const dir = await Deno.makeTempDir({ prefix: "nodeflash-ser2net-" });
      const ser2net = await startSer2net(pty, dir);
      try {
        const port = `rfc2217://127.0.0.1:${ser2net.port}?ack_timeout=200`;
        // the reset before and after both drive DTR/RTS: two setSignals, four lost acks
        const human = await runCli(["info", "-p", port, "--before", "default-reset"]);
        assert.equal(human.code, 0, human.stderr);
        assert.equal(count(human.stderr, "warning: "), 1, human.stderr);
        assert.match(
          human.stderr,
          /warning: rfc2217:\/\/\S+ did not acknowledge set-control within \d+ ms/,
        );
        assert.equal(count(human.stderr, "note: no DTR/RTS control on rfc2217://"), 1);

        const json = await runCli(["info", "-p", port, "--before", "default-reset", "--json"]);
        assert.equal(json.code, 0, json.stderr);
        const transport = json.json().filter((e) => String(e.code).startsWith("transport/"));
        assert.deepEqual(transport.map((e) => [e.type, e.code]), [
          ["warning", "transport/ack-timeout"],
          ["note", "transport/no-modem-lines"],
        ]);
      } finally {
        await ser2net.stop();
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});
