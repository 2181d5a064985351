/**
 * `nodeflash monitor` as a user runs it: the real CLI (`deno run -A mod.ts monitor`) in a child
 * process whose stdin and stdout are a pseudo-terminal this test drives (a cooked tty, as a
 * terminal emulator leaves it), talking over RFC 2217 to the simulated devkit (`nodeflash sim`'s
 * board) with a NodeMCU image in its flash: its ROM talks at 74880, NodeMCU at 115200 through a
 * bit-level UART model, its Lua is a real interpreter behind NodeMCU's console rules, and DTR/RTS
 * drive the devkit's reset circuit.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { noiseCount } from "../lib/smoke/mod.ts";
import { PtyPair } from "../lib/transport/serial/pty_pair.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { flashImage } from "../lib/sim/console_tap.ts";
import type { SimEvent } from "../lib/sim/sim_event.ts";
import { type SimServer, startSimServer } from "../lib/sim/sim_server.ts";
import { withTempDir } from "./support/run_cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIRMWARE = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB", flashMode: "dio" });
const BANNER_LINE = /^NodeMCU 3\.0\.0\.0 built on nodemcu-build\.com/m;
const CTRL_T = "\x14", CTRL_BRACKET = "\x1d";
const ICANON = 0x2, ECHO = 0x8;
const NOT_LINUX = Deno.build.os !== "linux"; // ptys through FFI are Linux-only here
const latin1 = (b: Uint8Array | number[]) => String.fromCharCode(...b);

/** A devkit running NodeMCU (booted and formatted at power-up), served over RFC 2217. */
async function serveDevkit(): Promise<{ server: SimServer; boots: SimEvent[] }> {
  const boots: SimEvent[] = [];
  const server = await startSimServer({
    kind: "rfc2217",
    boardOptions: {
      flashContents: flashImage(4 << 20, FIRMWARE.combined),
      onEvent: (e) => void (e.type === "boot" && boots.push(e)),
    },
  });
  await server.board.idle();
  return { server, boots };
}

/** Reads the terminal's master side in the background; the test types into it. */
class Screen {
  readonly pty = PtyPair.open();
  readonly bytes: number[] = [];
  #stopped = false;
  #loop: Promise<void>;

  constructor() {
    this.#loop = (async () => {
      while (!this.#stopped) this.bytes.push(...await this.pty.read(50));
    })();
  }

  /** The screen's text with the tty's CR insertions (OPOST/ONLCR) taken out. */
  get text(): string {
    return latin1(this.bytes).replaceAll("\r", "");
  }

  type(keys: string): Promise<void> {
    return this.pty.write(Uint8Array.from(keys, (c) => c.charCodeAt(0)));
  }

  /** The slave's lflag (ICANON, ECHO...). */
  localFlags(): number {
    return new DataView(this.pty.slaveTermios().buffer).getUint32(12, true);
  }

  /** Makes the tty cooked, as a terminal emulator leaves it (the pair starts raw). */
  async cook(): Promise<void> {
    const stty = new Deno.Command("stty", { args: ["-F", this.pty.slavePath, "sane"] });
    const { code } = await stty.output();
    assert.equal(code, 0, "stty sane");
  }

  async close(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
    this.pty.close();
  }
}

/** Collects a stream as text in the background. */
function collect(stream: ReadableStream<Uint8Array>): { text(): string; done: Promise<void> } {
  let text = "";
  const decoder = new TextDecoder();
  const done = stream.pipeTo(
    new WritableStream({ write: (c) => void (text += decoder.decode(c)) }),
  );
  return { text: () => text, done };
}

async function until(what: string, check: () => boolean, seen: () => string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`never saw ${what}; got:\n${JSON.stringify(seen())}`);
}

/** Runs `deno run -A mod.ts monitor ...args` with stdin and stdout on the pty's slave. */
function spawnOnTerminal(screen: Screen, args: string[]) {
  const script = 'tty="$1"; shift; exec "$@" <"$tty" >"$tty"';
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      script,
      "sh",
      screen.pty.slavePath,
      Deno.execPath(),
      "run",
      "-A",
      "mod.ts",
      ...args,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  return { child, stderr: collect(child.stderr) };
}

Deno.test({
  name:
    "monitor in a terminal: Lua at the prompt, Ctrl-T R with the ROM line decoded, Ctrl-] exits 0 with the tty restored",
  ignore: NOT_LINUX,
  async fn() {
    const { server, boots } = await serveDevkit();
    const screen = new Screen();
    await withTempDir(async (dir) => {
      try {
        await screen.cook();
        const before = screen.pty.slaveTermios();
        assert.ok(screen.localFlags() & ICANON, "the pty starts cooked, as a terminal does");
        const log = `${dir}/board.log`;
        const { child, stderr } = spawnOnTerminal(screen, [
          "monitor",
          "-p",
          server.url,
          "--log",
          log,
        ]);
        await until(
          "the connected note",
          () => stderr.text().includes("--- Connected to"),
          stderr.text,
        );
        assert.equal(screen.localFlags() & (ICANON | ECHO), 0, "raw mode while running");

        await screen.type("print(6*7)\r");
        await until("42", () => screen.text.includes("print(6*7)\n42\n> "), () => screen.text);

        const mark = screen.bytes.length;
        const booted = boots.length;
        await screen.type(`${CTRL_T}R`);
        await until(
          "the banner after the reset",
          () => latin1(screen.bytes.slice(mark)).replaceAll("\r", "").includes("init.lua: \n> "),
          () => screen.text,
        );
        assert.deepEqual(
          boots.slice(booted).map((e) => e.type === "boot" && `${e.kind} ${e.mode}`),
          ["external flash"],
          "one EN reset, GPIO0 high: boot from flash",
        );
        assert.match(stderr.text(), /^ets Jan {2}8 2013,rst cause:2, boot mode:\(3,6\)$/m);
        assert.match(stderr.text(), /boot mode 3: flash boot; back at 115200 baud ---/);
        const afterReset = screen.bytes.slice(mark);
        assert.equal(noiseCount(new Uint8Array(afterReset)), 0, latin1(afterReset));
        assert.match(latin1(afterReset), BANNER_LINE);

        await screen.type("=1+1\r");
        await until("2", () => screen.text.includes("=1+1\n2\n> "), () => screen.text);

        await screen.type(CTRL_BRACKET);
        const status = await child.status;
        await stderr.done;
        assert.equal(status.code, 0, stderr.text());
        assert.match(stderr.text(), /--- Disconnected from rfc2217:/);
        assert.deepEqual(screen.pty.slaveTermios(), before, "the terminal is restored");
        const logged = latin1(await Deno.readFile(log));
        assert.ok(logged.includes(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n"));
        assert.ok(logged.includes("print(6*7)\r\n42\r\n> "));
        assert.match(logged, BANNER_LINE);
      } finally {
        await screen.close();
        await server.close();
      }
    });
  },
});

Deno.test({
  name: "monitor in a terminal: SIGTERM ends it with exit 0 and the tty restored",
  ignore: NOT_LINUX,
  async fn() {
    const { server } = await serveDevkit();
    const screen = new Screen();
    try {
      await screen.cook();
      const before = screen.pty.slaveTermios();
      const { child, stderr } = spawnOnTerminal(screen, ["monitor", "-p", server.url]);
      await until(
        "the connected note",
        () => stderr.text().includes("--- Connected to"),
        stderr.text,
      );
      assert.notDeepEqual(screen.pty.slaveTermios(), before);
      child.kill("SIGTERM");
      const status = await child.status;
      await stderr.done;
      assert.equal(status.code, 0, stderr.text());
      assert.deepEqual(screen.pty.slaveTermios(), before);
    } finally {
      await screen.close();
      await server.close();
    }
  },
});

Deno.test("monitor with piped stdin: input goes to the board, its end quits once the board is quiet", async () => {
  const { server } = await serveDevkit();
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "mod.ts", "monitor", "-p", server.url, "--idle", "0.3"],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(
      new TextEncoder().encode("print(6*7)\r\nfor i = 1, 2 do\r\nprint(i) end\r\n"),
    );
    await writer.close();
    const { code, stdout, stderr } = await child.output();
    const err = new TextDecoder().decode(stderr);
    assert.equal(code, 0, err);
    // stdout has the board's bytes only, exactly as sent; the notes are on stderr.
    assert.equal(
      latin1(stdout),
      "print(6*7)\r\n42\r\n> for i = 1, 2 do\r\n>> print(i) end\r\n1\r\n2\r\n> ",
    );
    assert.match(err, /^--- Connected to rfc2217:\S+ at 115200 baud; sending input as it comes/);
  } finally {
    await server.close();
  }
});
