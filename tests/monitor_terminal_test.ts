/**
 * `nodeflash monitor` as a user runs it: the real CLI (`deno run -A mod.ts monitor`) in a child
 * process whose stdin and stdout are a pseudo-terminal this test drives (a cooked tty, as a
 * terminal emulator leaves it), talking over RFC 2217 to the smoke library's scripted NodeMCU
 * board (its Lua REPL is fengari; its ROM talks at 74880, NodeMCU at 115200, through a bit-level
 * UART model; DTR/RTS drive the devkit's reset circuit). The simulator's own NodeMCU console
 * replaces the scripted board once it exists.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { noiseCount } from "../mod.ts";
import { PtyPair } from "../lib/transport/serial/pty_pair.ts";
import { ScriptedBoard } from "../lib/smoke/testing/scripted_board.ts";
import { createLuaRepl } from "../lib/smoke/testing/lua_repl.ts";
import { BANNERS, nodemcuBoot } from "../lib/smoke/testing/transcripts.ts";
import { serveScriptedBoard } from "./support/scripted_rfc2217.ts";
import { withTempDir } from "./support/run_cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BANNER = BANNERS.at(-2)!.console; // NodeMCU 3.x cloud build
const CTRL_T = "\x14", CTRL_BRACKET = "\x1d";
const ICANON = 0x2, ECHO = 0x8;
const NOT_LINUX = Deno.build.os !== "linux"; // ptys through FFI are Linux-only here
const latin1 = (b: Uint8Array | number[]) => String.fromCharCode(...b);

function newBoard(): ScriptedBoard {
  return new ScriptedBoard({
    // NodeMCU's pause between the ROM/SDK lines and its banner, generous for a loaded machine.
    script: () => nodemcuBoot(BANNER, { gapMs: 400 }),
    repl: createLuaRepl(),
    running: true,
  });
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
    const board = newBoard();
    const server = serveScriptedBoard(board);
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
        await screen.type(`${CTRL_T}R`);
        await until(
          "the banner after the reset",
          () => screen.text.includes("init.lua: \n> "),
          () => screen.text,
        );
        assert.equal(board.boots, 1);
        assert.match(stderr.text(), /^ets Jan {2}8 2013,rst cause:2, boot mode:\(3,6\)$/m);
        assert.match(stderr.text(), /boot mode 3: boot from flash; back at 115200 baud ---/);
        const afterReset = screen.bytes.slice(mark);
        assert.equal(noiseCount(new Uint8Array(afterReset)), 0, latin1(afterReset));
        assert.ok(latin1(afterReset).replaceAll("\r", "").includes(BANNER.replaceAll("\r", "")));

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
        assert.ok(logged.includes("print(6*7)\r\n42\r\n> ") && logged.includes(BANNER));
      } finally {
        await screen.close();
        await server.close();
        board.hostClosed();
      }
    });
  },
});

Deno.test({
  name: "monitor in a terminal: SIGTERM ends it with exit 0 and the tty restored",
  ignore: NOT_LINUX,
  async fn() {
    const board = newBoard();
    const server = serveScriptedBoard(board);
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
      board.hostClosed();
    }
  },
});

Deno.test("monitor with piped stdin: input goes to the board, its end quits once the board is quiet", async () => {
  const board = newBoard();
  const server = serveScriptedBoard(board);
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
    board.hostClosed();
  }
});
