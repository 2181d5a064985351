/**
 * The simulated board's NodeMCU console end to end, as a host sees it: a `sim://` transport (the
 * same port a flasher or a terminal opens), bytes typed with `write` and read back from
 * `readable` at 115200. Expected console text comes from docs/boot-log.md A.5-A.8 (banners, echo,
 * prompts, Lua error lines, the first-boot format), not from what the simulator prints.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { flashImage } from "../lib/sim/console_tap.ts";
import type { SimBoard } from "../lib/sim/board.ts";
import type { BoardOptions } from "../lib/sim/board_options.ts";
import { openSimTransport, type SimTransport } from "../lib/sim/open_sim_transport.ts";
import { runSmokeTest } from "../lib/smoke/smoke.ts";

const MB = 1 << 20;
const RELEASE = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB", flashMode: "dio" });
/** A Lua 5.3 build, as the board of nodemcu#3279 (boot-log.md A.7) was. */
const RELEASE_53 = buildNodemcuFirmware({
  totalSize: 0x40000,
  flashSize: "4MB",
  flashMode: "dio",
  banner: { version: "3.0.0.0", lua: "5.3.5" },
});
/** A nodemcu-build.com image of 2017: no version number in its banner (boot-log.md A.5). */
const CLOUD_BANNER = {
  version: "2.1.0",
  style: "cloud",
  branch: "master",
  commit: "c8ac5cfb912ff206b03dd7c60ffbb2dafb83fe5e",
  ssl: false,
  modules: ["file", "gpio", "net", "node", "tmr", "uart", "wifi"],
  buildDate: "2017-08-30 18:00",
  sdk: "2.1.0(116b762)",
} as const;
const CLOUD = buildNodemcuFirmware({
  totalSize: 0x40000,
  flashSize: "4MB",
  flashMode: "dio",
  banner: { ...CLOUD_BANNER, modules: [...CLOUD_BANNER.modules] },
});

/** A host on a `sim://` port: reads everything the board sends, types lines, waits for text. */
class Host {
  readonly port: SimTransport;
  #text = "";
  #reading: Promise<void>;

  constructor(port: SimTransport) {
    this.port = port;
    const reader = port.readable.getReader();
    this.#reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.#text += String.fromCharCode(...value);
      }
    })().catch(() => {});
  }

  get board(): SimBoard {
    return this.port.board;
  }

  /** What arrived since the last {@link clear}. */
  get text(): string {
    return this.#text;
  }

  clear(): void {
    this.#text = "";
  }

  type(line: string): Promise<void> {
    return this.port.write(Uint8Array.from(line, (c) => c.charCodeAt(0)));
  }

  /** Waits (up to 5 s of real time) until the text matches; returns it. */
  async until(pattern: RegExp): Promise<string> {
    for (let i = 0; i < 500 && !pattern.test(this.#text); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.match(this.#text, pattern, "the board never sent it");
    return this.#text;
  }

  async close(): Promise<void> {
    await this.port.close();
    await this.#reading;
  }
}

/**
 * Powers up a devkit with `image` at 0x0 and waits for NodeMCU's first prompt; `opened` sees the
 * board before it has got anywhere.
 */
async function bootToPrompt(
  image: Uint8Array,
  options: { flashBytes?: number; board?: BoardOptions; opened?: (b: SimBoard) => void } = {},
): Promise<Host> {
  const size = options.flashBytes ?? 4 * MB;
  const port = await openSimTransport(`sim://?flash-size=${size / MB}MB`, {
    board: { flashContents: flashImage(size, image), ...options.board },
  });
  options.opened?.(port.board);
  const host = new Host(port);
  await host.board.idle();
  await host.until(/\r\n> $/);
  return host;
}

Deno.test("console: a runtime error at a 3.x prompt is `Lua error: ` TAB message and the traceback, then the prompt", async () => {
  // nodemcu#3279's transcript, a Lua 5.3 build (5.3 dropped `node.egc`).
  const host = await bootToPrompt(RELEASE_53.combined);
  try {
    host.clear();
    await host.type("node.egc.setmode(node.egc.ON_MEM_LIMIT, 30720)\r\n");
    assert.equal(
      await host.until(/> $/),
      "node.egc.setmode(node.egc.ON_MEM_LIMIT, 30720)\r\n" +
        "Lua error: \tstdin:1: attempt to index a nil value (field 'egc')\r\n" +
        "stack traceback:\r\n\tstdin:1: in main chunk\r\n\t[C]: in ?\r\n\t[C]: in ?\r\n> ",
    );
    // The interpreter survived the error: the next line runs.
    host.clear();
    await host.type('print("still" .. 42)\r\n');
    assert.equal(await host.until(/> $/), 'print("still" .. 42)\r\nstill42\r\n> ');
    // A syntax error is a compile error: no traceback.
    host.clear();
    await host.type("x = = 1\r\n");
    assert.equal(
      await host.until(/> $/),
      "x = = 1\r\nLua error: \tstdin:1: unexpected symbol near '='\r\n> ",
    );
  } finally {
    await host.close();
  }
});

Deno.test("console: a 2.x image prints the error without the `Lua error:` prefix (boot-log.md A.7)", async () => {
  const host = await bootToPrompt(CLOUD.combined);
  try {
    host.clear();
    await host.type("x = nil + 1\r\n");
    // The traceback as in nodemcu#891's 1.4.0 transcript.
    assert.equal(
      await host.until(/> $/),
      "x = nil + 1\r\nstdin:1: attempt to perform arithmetic on a nil value\r\n" +
        "stack traceback:\r\n\tstdin:1: in main chunk\r\n> ",
    );
  } finally {
    await host.close();
  }
});

Deno.test("console: an unfinished chunk gets `>> ` until it is complete, then runs once", async () => {
  const host = await bootToPrompt(RELEASE.combined);
  try {
    host.clear();
    await host.type("for i=1,2 do\r\n");
    assert.equal(await host.until(/>> $/), "for i=1,2 do\r\n>> ");
    host.clear();
    await host.type("print(i * 10)\r\n");
    assert.equal(await host.until(/>> $/), "print(i * 10)\r\n>> ", "still inside the loop");
    host.clear();
    // An empty line inside a chunk re-sends the continuation prompt without running anything.
    await host.type("\r\n");
    assert.equal(await host.until(/>> $/), "\r\n>> ");
    host.clear();
    await host.type("end\r\n");
    assert.equal(await host.until(/\r\n> $/), "end\r\n10\r\n20\r\n> ");
    // The chunk is gone: the next line starts afresh at the primary prompt.
    host.clear();
    await host.type("=1+1\r\n");
    assert.equal(await host.until(/> $/), "=1+1\r\n2\r\n> ");
  } finally {
    await host.close();
  }
});

Deno.test("console: a cloud-builder 2.1.0 image boots with its own banner; the smoke test parses it", async () => {
  const port = await openSimTransport("sim://", {
    board: { flashContents: flashImage(4 * MB, CLOUD.combined) },
  });
  try {
    await port.board.idle();
    const result = await runSmokeTest(port);
    const log = String.fromCharCode(...result.log);
    assert.equal(result.ok, true, `${result.diagnosis?.message}\n${log}`);
    // boot-log.md A.5, cloud builder 2015-2017: the date line ends in a newline, so `powered by`
    // starts its own line; A.6: <= 2.x says `lua: cannot open init.lua`.
    assert.ok(
      log.includes(
        "NodeMCU custom build by frightanic.com\r\n" +
          "\tbranch: master\r\n" +
          `\tcommit: ${CLOUD_BANNER.commit}\r\n` +
          "\tSSL: false\r\n" +
          `\tmodules: ${CLOUD_BANNER.modules.join(",")}\r\n` +
          " build \tbuilt on: 2017-08-30 18:00\r\n" +
          " powered by Lua 5.1.4 on SDK 2.1.0(116b762)\r\n" +
          "lua: cannot open init.lua\r\n",
      ),
      log,
    );
    const banner = result.banner;
    assert.ok(banner, log);
    assert.equal(banner.version, undefined, "the cloud builder's banner has no version");
    assert.equal(banner.prolog, "custom build by frightanic.com");
    assert.equal(banner.branch, "master");
    assert.equal(banner.commit, CLOUD_BANNER.commit);
    assert.equal(banner.ssl, false);
    assert.deepEqual(banner.modules, [...CLOUD_BANNER.modules]);
    assert.equal(banner.buildDate, "2017-08-30 18:00");
    assert.equal(banner.lua, "5.1.4");
    assert.equal(banner.sdk, "2.1.0(116b762)");
  } finally {
    await port.close();
  }
});

/**
 * Powers up a blank-file-system board of `flashBytes` and measures, on the board's clock, the
 * time from `Formatting file system. Please wait...` to the banner; also counts the dots.
 */
async function firstBootFormat(flashBytes: number): Promise<{ us: number; dots: number }> {
  const image = buildNodemcuFirmware({
    totalSize: 0x40000,
    flashSize: `${flashBytes / MB}MB` as "1MB" | "4MB",
    flashMode: "dio",
  });
  let board: SimBoard | undefined;
  let sent = "";
  let startUs = NaN, endUs = NaN;
  const onEvent: BoardOptions["onEvent"] = (e) => {
    if (e.type !== "tx") return;
    const now = board?.clock.now() ?? NaN;
    sent += String.fromCharCode(...e.bytes);
    if (Number.isNaN(startUs) && sent.includes("Formatting file system. Please wait...")) {
      startUs = now;
    }
    if (Number.isNaN(endUs) && /Please wait\.\.\.\r\n\.*\r\nNodeMCU /.test(sent)) endUs = now;
  };
  const host = await bootToPrompt(image.combined, {
    flashBytes,
    board: { onEvent },
    opened: (b) => (board = b),
  });
  try {
    assert.equal(host.board.timing.pace, "instant");
    const dots = /Please wait\.\.\.\r\n(\.*)\r\nNodeMCU /.exec(host.text)?.[1]?.length;
    assert.ok(dots !== undefined, host.text);
    assert.ok(endUs > startUs, `format from ${startUs} to ${endUs} µs on the board's clock`);
    return { us: endUs - startUs, dots };
  } finally {
    await host.close();
  }
}

Deno.test("console: the first-boot format takes modelled time in proportion to the file system's size", async () => {
  const started = performance.now();
  const small = await firstBootFormat(MB);
  const large = await firstBootFormat(4 * MB);
  // The file system runs from the first 64 KiB boundary after the firmware (0x40000) to the
  // header's size - 0x5000 (lib/sim/README.md): 187 sectors on 1 MB, 955 on 4 MB.
  const sectors = (bytes: number) => (bytes - 0x5000 - 0x40000) / 0x1000;
  const expected = sectors(4 * MB) / sectors(MB);
  const ratio = large.us / small.us;
  assert.ok(Math.abs(ratio / expected - 1) < 0.02, `ratio ${ratio}, expected ≈ ${expected}`);
  // One dot per 64 KB erased (boot-log.md A.8).
  assert.equal(small.dots, Math.floor(sectors(MB) / 16));
  assert.equal(large.dots, Math.floor(sectors(4 * MB) / 16));
  // Seconds of modelled erasing, not of waiting: instant pace costs no real time for it.
  assert.ok(large.us > 10_000_000, `${large.us} µs`);
  assert.ok(performance.now() - started < large.us / 1000, "faster than the modelled time");
});
