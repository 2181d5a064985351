/**
 * The NodeMCU firmware as the simulated board runs it after the ROM has loaded a good image
 * (docs/boot-log.md A, B, C):
 *
 * 1. still at the ROM's rate: `Fatal exception (0):` and a restart loop when the IROM part is
 *    missing (nodemcu_image.ts); NodeMCU 3.x's pre-init line, its init-data repair (≥ 2.0, see
 *    nodemcu_image.ts), the SDK's check of the init data (`rf_cal[0] !=0x05,is 0xFF` and a
 *    watchdog reboot loop when it is missing) and the SDK's start-up lines;
 * 2. UART0 to 115200 (chip_start.ts `bootToConsole`);
 * 3. the file system: mounted, or formatted with `Formatting file system. Please wait...` and
 *    one dot per 64 KB erased (`*** ERROR ***: unable to format...` when the area is not on the
 *    chip: a header flash size larger than the chip, or no room after the firmware);
 * 4. the banner the image carries, then `init.lua`, run in a protected call as `lua.c` does: an
 *    error in it (compile or runtime: the message, a runtime one with its traceback) is printed
 *    and the boot goes on to the prompt, `lua: ` first on the readline front end
 *    (nodemcu_front_end.ts); a missing one is `cannot open init.lua: ` (pipe) /
 *    `lua: cannot open init.lua` (readline). Errors in callbacks `init.lua` sets up are the
 *    runtime's (nodemcu_runtime.ts: `PANIC` and a restart, or `node.setonerror`'s handler);
 * 5. the prompt `> `, and the REPL: a real Lua VM (lua_vm.ts) of the banner's Lua version in
 *    NodeMCU's runtime (nodemcu_runtime.ts: the UART's receive ring, the console's line
 *    discipline, the interpreter, the SDK's task loop, timers and callbacks), modules in
 *    nodemcu_modules.ts, `node.LFS` in nodemcu_lfs.ts. Input that arrives before the prompt is
 *    ignored, as on the device; eight or more bytes during the format overflow the UART task
 *    queue and Lua never starts.
 *
 * @module
 */

import { bootToConsole, latin1 } from "./chip_start.ts";
import type { BoardProgram, Device } from "./device.ts";
import { LuaVm, textOf } from "./lua_vm.ts";
import { consoleText } from "./nodemcu_console.ts";
import { initErrorText, type LuaErrorValue } from "./nodemcu_lua_main.ts";
import { inspectNodemcuImage, type NodemcuImage } from "./nodemcu_image.ts";
import { installNodemcuModules } from "./nodemcu_modules.ts";
import { NodemcuLfs } from "./nodemcu_lfs.ts";
import { NodemcuRuntime } from "./nodemcu_runtime.ts";
import { type FsStorage, SimFs } from "./sim_fs.ts";

/** The init data the firmware writes: the magic 0x05 and version 0 (the rest left 0 here). */
const DEFAULT_INIT_DATA = Uint8Array.from({ length: 128 }, (_, i) => (i === 0 ? 0x05 : 0));
/** Device time per Lua VM instruction, µs (an 80 MHz CPU interpreting bytecode). */
const US_PER_INSTRUCTION = 0.5;
/** The SDK's watchdog: a boot that hangs resets after this long, ms. */
const WATCHDOG_MS = 1600;

type Phase = "booting" | "formatting" | "ready" | "stopped" | "dead";

/**
 * The firmware program.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * const flashContents = new Uint8Array(1 << 20).fill(0xff);
 * flashContents.set(buildNodemcuFirmware({ totalSize: 0x20000 }).combined);
 * const board = new SimBoard({ flashSize: "1MB", flashContents });
 * await board.idle();
 * assert.equal(board.nodemcu?.ready, true);
 * await board.close();
 * ```
 */
export class NodemcuProgram implements BoardProgram {
  /** The board state. */
  readonly state = "app" as const;
  /** What the firmware knows about itself. */
  readonly image: NodemcuImage;
  readonly #d: Device;
  readonly #storage: FsStorage;
  readonly #booted: Promise<void>;
  #phase: Phase = "booting";
  #fs: SimFs | undefined;
  #vm: LuaVm | undefined;
  #runtime: NodemcuRuntime | undefined;
  readonly #lfs: NodemcuLfs;
  #closeFiles: () => void = () => {};
  #typedDuringFormat = 0;
  readonly #bootedAtUs: number;

  /**
   * Starts the firmware (the ROM has loaded it): its boot runs on its own from here.
   *
   * @param device the hardware
   */
  constructor(device: Device) {
    this.#d = device;
    this.#bootedAtUs = device.clock.now();
    const chip = device.chip;
    this.#storage = {
      read: (a, n) => chip.romRead(a, n),
      eraseSector: (a) => chip.romErase("sector", a),
      program: (a, data) => chip.romWrite(a, data),
    };
    this.image = inspectNodemcuImage((a, n) => chip.romRead(a, n), {
      flashBytes: chip.size,
      writesInitData: device.options.firmwareWritesInitData,
    });
    this.#lfs = new NodemcuLfs({
      device,
      image: this.image,
      fs: () => this.#fs,
      print: (text) => this.#print(text),
      stopped: this.#stopped,
      restart: () => this.#runtime?.requestRestart(),
    });
    this.#booted = this.#boot().catch((error) => {
      this.#phase = "dead";
      device.emit({ type: "fault", error });
    });
  }

  /** Whether the prompt is up and the REPL takes input. */
  get ready(): boolean {
    return this.#phase === "ready";
  }

  /** The mounted file system, if any. */
  get fs(): SimFs | undefined {
    return this.#fs;
  }

  /** The Lua runtime, once Lua has started (for inspection: receive overruns, prompt). */
  get runtime(): NodemcuRuntime | undefined {
    return this.#runtime;
  }

  /**
   * Bytes from the host: ignored until the prompt is up, then into the UART's receive ring.
   *
   * @param bytes what arrived
   */
  receive(bytes: Uint8Array): void {
    if (this.#phase === "formatting") this.#typedDuringFormat += bytes.length;
    if (this.#phase === "ready") this.#runtime?.receive(bytes.slice());
  }

  /** Resolves when the boot has finished (or stopped) and everything received has been handled. */
  async idle(): Promise<void> {
    await this.#booted;
    await this.#runtime?.idle();
  }

  /** The chip resets: everything stops. */
  stop(): void {
    this.#phase = "stopped";
    this.#closeFiles();
    this.#runtime?.stop();
  }

  #stopped = () => this.#phase === "stopped";

  #print(text: string): void {
    if (!this.#stopped()) this.#d.send(latin1(consoleText(text)));
  }

  async #boot(): Promise<void> {
    const d = this.#d;
    if (this.image.iromAddress === undefined) return this.#crashInErasedIrom();
    const pre = this.#preInit();
    if (pre.initDataMissing) {
      // the SDK checks the init data before NodeMCU sets the console's rate: it hangs at the
      // ROM's rate
      d.send(latin1(pre.text));
      return this.#hangUntilWatchdog();
    }
    if (!(await bootToConsole(d, { preInit: pre.text, stopped: this.#stopped }))) return;
    this.#phase = "formatting";
    this.#fs = await this.#mountOrFormat();
    if (this.#stopped()) return;
    if (this.#typedDuringFormat >= 8) {
      this.#phase = "dead";
      return;
    }
    this.#phase = "booting";
    if (!(await this.#lfs.boot()) || this.#stopped()) return void (this.#phase = "dead");
    this.#print(`${this.image.bannerText}\n`);
    this.#startLua();
    if (!this.#runInit()) return;
    this.#phase = "ready";
    this.#runtime!.start();
  }

  /**
   * The 0x00000 part without its IROM part (a split build written without `0x10000.bin`): the
   * first call into flash-mapped code fetches erased flash, an illegal instruction (exception
   * cause 0). The SDK's handler prints the old SDKs' `Fatal exception (N):` line and the
   * registers at the ROM's rate and restarts the chip (`rst cause:2`), again and again.
   */
  #crashInErasedIrom(): void {
    this.#d.send(latin1(
      "Fatal exception (0): \r\n" +
        "epc1=0x40210000, epc2=0x00000000, epc3=0x00000000, excvaddr=0x00000000, depc=0x00000000\r\n",
    ));
    this.#restart("software");
  }

  /** What is printed at the ROM's rate; repairs init data when the firmware does that. */
  #preInit(): { text: string; initDataMissing: boolean } {
    const d = this.#d;
    const image = this.image;
    const at = image.initDataAddress & (d.chip.size - 1);
    const lines: string[] = [];
    const code = d.chip.romRead(0, 4)[3]! >> 4;
    if (image.era === "3.x") {
      lines.push(`system SPI FI size:${code}, Flash size: ${image.headerFlashBytes}`);
    }
    let data = d.chip.romRead(at, 4);
    const blank = data.every((b) => b === 0xff);
    if (image.writesInitData && (image.era === "3.x" ? data[0] !== 0x05 : blank)) {
      d.chip.romErase("sector", at);
      d.chip.romWrite(at, DEFAULT_INIT_DATA);
      if (image.era === "3.x") lines.push(`Writing Init Data to 0x${hex(at, 8)}`);
      data = d.chip.romRead(at, 4);
    }
    if (data[0] !== 0x05) {
      lines.push(`rf_cal[0] !=0x05,is 0x${hex(data[0]!, 2).toUpperCase()}`);
      return { text: lines.map((l) => `${l}\r\n`).join(""), initDataMissing: true };
    }
    const sdk = image.banner?.sdk ?? "3.0.1-dev(fce080e)";
    lines.push(
      `rf cal sector: ${Math.floor(at / 0x1000) - 1}`,
      "freq trace enable 0",
      "rf[112] : 00",
      "rf[113] : 00",
      "rf[114] : 01",
      "",
      `SDK ver: ${sdk} compiled @ Jan 10 2020 17:01:33`,
      "phy ver: 1155_0, pp ver: 10.2",
      "",
    );
    return { text: lines.map((l) => `${l}\r\n`).join(""), initDataMissing: false };
  }

  /**
   * The SDK hangs on missing init data until the hardware watchdog resets the chip. The boot is
   * over (the board is idle) while it hangs: a boot loop has no end to wait for.
   */
  #hangUntilWatchdog(): void {
    this.#phase = "dead";
    const d = this.#d;
    void (async () => {
      await d.clock.sleep(WATCHDOG_MS * 1000);
      if (d.options.pace !== "realtime") await d.pause(d.timing.consoleSwitchMs);
      if (this.#phase === "dead") d.watchdogReset();
    })().catch((error) => d.emit({ type: "fault", error }));
  }

  async #mountOrFormat(): Promise<SimFs | undefined> {
    const { fsStart, fsEnd } = this.image;
    const onChip = fsEnd <= this.#d.chip.size && fsStart < fsEnd;
    const mounted = onChip ? SimFs.mount(this.#storage, fsStart, fsEnd) : undefined;
    if (mounted !== undefined) return mounted;
    this.#print("Formatting file system. Please wait...\n");
    const fs = onChip
      ? await SimFs.format(this.#storage, fsStart, fsEnd, async (done) => {
        await this.#d.settle();
        if (done % 16 === 0) this.#print(".");
        return !this.#stopped();
      })
      : undefined;
    if (fs === undefined && !this.#stopped()) {
      this.#print(
        "\n*** ERROR ***: unable to format. FS might be compromised.\n" +
          "It is advised to re-flash the NodeMCU image.\n",
      );
    }
    return fs;
  }

  #startLua(): void {
    const d = this.#d;
    const vm = new LuaVm({
      print: (line) => this.#runtime?.print(`${line}\n`),
      onInstructions: (n) => (this.#runtime ?? d).work(n * US_PER_INSTRUCTION),
      version: this.image.luaVersion,
    });
    this.#vm = vm;
    if (this.image.numberType === "integer") {
      d.emit({
        type: "unmodelled",
        detail: `integer build: Lua ${this.image.luaVersion} runs with float numbers (7/2 is 3.5 ` +
          "here, 3 on the board); see lib/sim/README.md",
      });
    }
    const runtime = new NodemcuRuntime({
      device: d,
      image: this.image,
      vm,
      restart: (kind) => void this.#restart(kind),
      interrupted: () => {
        if (!this.#lfs.reloading) return false;
        if (this.#phase !== "dead") this.#reloadLfs();
        return true;
      },
    });
    this.#runtime = runtime;
    this.#closeFiles = installNodemcuModules({
      device: d,
      image: this.image,
      vm,
      runtime,
      fs: () => this.#fs,
      format: () => {
        const { fsStart, fsEnd } = this.image;
        if (fsEnd > d.chip.size || fsStart >= fsEnd) return false;
        this.#fs = SimFs.formatNow(this.#storage, fsStart, fsEnd);
        return this.#fs !== undefined;
      },
      bootedAtUs: this.#bootedAtUs,
    }, { extensions: [(host) => this.#lfs.install(host.vm)] });
  }

  /**
   * Runs `init.lua` if there is one, as `pmain` does (a protected call under lua.c's message
   * handler, `pmain` itself the C frame below it): its error is printed and the boot goes on.
   * Returns false when the chip is restarting.
   */
  #runInit(): boolean {
    const runtime = this.#runtime!;
    const frontEnd = this.image.frontEnd;
    const source = this.#fs?.read("init.lua");
    if (source === undefined) {
      runtime.print(
        frontEnd.console === "pipe" ? "cannot open init.lua: \n" : "lua: cannot open init.lua\n",
      );
      return true;
    }
    const vm = this.#vm!;
    const loaded = vm.load(textOf(source), "@init.lua");
    let error: LuaErrorValue | undefined;
    if (loaded.kind !== "ok") error = { type: "string", text: loaded.message };
    else {
      const outcome = vm.callWith(runtime.helpers.console, [loaded.fn], { below: 1 });
      vm.release(loaded.fn);
      if (this.#lfs.reloading) return this.#reloadLfs();
      if (outcome.kind === "watchdog") return this.#restart("watchdog");
      if (outcome.kind === "error") error = { type: "string", text: outcome.message };
      else if (outcome.kind === "ok" && outcome.results[0] !== "true") {
        error = { type: outcome.results[1] ?? "nil", text: outcome.results[2] ?? "nil" };
      }
    }
    const text = error === undefined ? undefined : initErrorText(frontEnd, error);
    if (text !== undefined) runtime.print(`${text}\n`);
    if (runtime.restartRequested) return this.#restart("software");
    return true;
  }

  /** `node.LFS.reload` went on to rewrite the flash: it never returns (nodemcu_lfs.ts). */
  #reloadLfs(): false {
    this.#phase = "dead";
    this.#runtime?.stop();
    void this.#lfs.finishReload().then(() => {
      if (!this.#stopped()) this.#hangUntilWatchdog();
    }).catch((error) => this.#d.emit({ type: "fault", error }));
    return false;
  }

  /** Restarts the chip (after what was printed has gone out); returns false. */
  #restart(kind: "software" | "watchdog"): false {
    this.#phase = "dead";
    this.#runtime?.stop();
    const d = this.#d;
    const later = d.options.pace === "realtime" ? Promise.resolve() : d.pause(20);
    void later.then(() => {
      if (this.#phase !== "dead") return;
      if (kind === "watchdog") d.watchdogReset();
      else d.softReset();
    });
    return false;
  }
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}
