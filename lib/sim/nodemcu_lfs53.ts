/**
 * The LFS of a simulated NodeMCU built with Lua 5.3 (`app/lua53/lnodemcu.c` `luaN_init`,
 * `luaL_lfsreload`; `app/user/user_main.c` `nodemcu_init`):
 *
 * - `node.LFS.reload(name)`: without the file or without a partition, `No LFS partition
 *   allocated`; otherwise the name goes into a reboot-config record, the chip restarts
 *   (`rst cause:2`) and the call raises `system restarting` meanwhile.
 * - Next boot, as Lua starts: the record is deleted (the load is tried once), the partition is
 *   erased (`\nErasing LFS from flash addr 0x…`, a dot per sector that was not blank,
 *   ` to 0x…\n`) and the image loaded (lfs_image53.ts); then Lua starts again in the same boot
 *   (`lua_main` runs twice; no chip reset). A file that cannot be opened or an image the loader
 *   refuses prints the error, and Lua does not come up (the interpreter's start was aborted)
 *   until the next reset, which finds the LFS empty.
 * - Every boot: a valid image prints `LFS image loaded`; a header that is neither blank nor
 *   valid prints `LFS image corrupted.` and the partition is erased.
 *
 * **Modelling choice.** The firmware writes the image's objects (strings, functions, the module
 * table) into flash; the sim keeps its own layout in the partition: the firmware's 12-word
 * header at 0 (signature 0xFAFAA250, size, seed, time, string counts), written last as the
 * firmware does, so a load cut short leaves the header blank (an empty LFS); the image file
 * from 0x1000; and the reboot-config record (the firmware keeps it at 0x10000) as
 * `NFSIM-LFS-LOAD` + the name at 0x800 (with 0xFAFAA0FE as the header word while the partition
 * is otherwise empty, so the sim still tells the partition from the firmware). `lfs_used`
 * counts this layout. The image's functions
 * are not run by the sim (the VM does not load NodeMCU's 5.3 dump format): `node.LFS.list()`
 * and `node.LFS.time` answer from the image, `node.LFS.get(name)` is nil.
 *
 * @module
 */

import type { LfsHost } from "./nodemcu_lfs.ts";
import { readLfs53Image } from "./lfs_image53.ts";
import type { LuaValue } from "./lua_vm.ts";

/** The 5.3 signature (lundump.h `FLASH_SIG`). */
export const LFS53_SIG = 0xfafaa250;
const SECTOR = 0x1000;
const RECORD_AT = 0x800;
const IMAGE_AT = 0x1000;
const MAGIC = "NFSIM-LFS-LOAD\0\0";

/** Sim-private: word 0 of an empty partition while a reload record is pending. */
const PENDING_MARK = Uint8Array.of(0xfe, 0xa0, 0xfa, 0xfa);

const hex6 = (n: number) => `0x${n.toString(16).padStart(6, "0")}`;

/**
 * The partition of a 5.3 build (used by nodemcu_lfs.ts).
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * const fw = buildNodemcuFirmware({ totalSize: 0x20000, banner: { version: "3.0.0.0", lua: "5.3.6", lfs: "0x10000 bytes total capacity" } });
 * const flashContents = new Uint8Array(1 << 20).fill(0xff);
 * flashContents.set(fw.combined);
 * flashContents.set([0x50, 0xa2, 0xfa, 0xfa], 0x20000); // a valid signature in the partition
 * const board = new SimBoard({ flashSize: "1MB", flashContents });
 * await board.idle();
 * assert.equal(board.nodemcu?.image.luaVersion, "5.3");
 * await board.close();
 * ```
 */
export class Lfs53Store {
  readonly #h: LfsHost;

  /** @param host the firmware's side */
  constructor(host: LfsHost) {
    this.#h = host;
  }

  get #lfs() {
    return this.#h.image.lfs;
  }

  #read(at: number, n: number): Uint8Array {
    return this.#h.device.chip.romRead(this.#lfs.start + at, n);
  }

  #word(at: number): number {
    const b = this.#read(at, 4);
    return new DataView(b.buffer, b.byteOffset).getUint32(0, true);
  }

  /** A 5.3 reload never runs a second pass inside Lua. */
  get reloading(): boolean {
    return false;
  }

  /** Bytes in use (`lfs_used`). */
  get used(): number {
    return this.#word(0) === LFS53_SIG ? this.#word(4) : 0;
  }

  /** The image stored in the partition, if the header says one is there. */
  #stored() {
    if (this.#word(0) !== LFS53_SIG) return undefined;
    const size = this.#word(4);
    try {
      return readLfs53Image(this.#read(IMAGE_AT, size - IMAGE_AT), this.#build());
    } catch {
      return undefined;
    }
  }

  #build() {
    return { numberSize: 4 as const };
  }

  /** `node.LFS.list()`, `.time` and `.get()` on this build. */
  query(what: string, _name: LuaValue): LuaValue {
    const image = this.#stored();
    if (image === undefined) return undefined;
    if (what === "list") return { lua: "table", items: [...image.modules] };
    if (what === "time") return image.timestamp;
    return undefined;
  }

  /** `node.LFS.reload(name)`. */
  reload(name: unknown): string | undefined {
    const fs = this.#h.fs();
    if (fs === undefined) return "No LFS partition allocated";
    if (this.#lfs.size === 0 || typeof name !== "string" || !fs.exists(name)) {
      return "No LFS partition allocated";
    }
    const record = new TextEncoder().encode(`${MAGIC}${name}\0`);
    const d = this.#h.device;
    if (this.#read(RECORD_AT, record.length).some((b) => b !== 0xff)) {
      // an old, deleted record: rewrite the sector with the header alone
      const header = this.#read(0, 48);
      d.chip.romErase("sector", this.#lfs.start);
      if (header.some((b) => b !== 0xff)) d.chip.romWrite(this.#lfs.start, header);
    }
    d.chip.romWrite(this.#lfs.start + RECORD_AT, record);
    // an empty partition gets a marker word, so the partition still reads as "not firmware"
    if (this.#word(0) === 0xffffffff) d.chip.romWrite(this.#lfs.start, PENDING_MARK);
    d.flashSettled();
    this.#h.restart();
    throw new Error("system restarting");
  }

  /** Unused on 5.3 (the restart is requested by `reload`). */
  async restartForReload(): Promise<void> {}

  #pendingName(): string | undefined {
    const raw = this.#read(RECORD_AT, 16 + 64);
    const text = String.fromCharCode(...raw);
    if (!text.startsWith(MAGIC)) return undefined;
    const end = text.indexOf("\0", MAGIC.length);
    return text.slice(MAGIC.length, end < 0 ? undefined : end);
  }

  /** What happens to the LFS as Lua starts; false when Lua does not come up. */
  async boot(): Promise<boolean> {
    if (this.#lfs.size === 0) return true;
    const name = this.#pendingName();
    if (name !== undefined) return await this.#load(name);
    const sig = this.#word(0);
    if (sig === LFS53_SIG) this.#h.print("LFS image loaded\n");
    else if (sig !== 0 && sig !== 0xffffffff) {
      this.#h.print("LFS image corrupted.\n");
      await this.#erase();
    }
    return true;
  }

  async #erase(): Promise<boolean> {
    const d = this.#h.device;
    const { start, size } = this.#lfs;
    this.#h.print(`\nErasing LFS from flash addr ${hex6(start)}`);
    for (let at = 0; at < size; at += SECTOR) {
      if (this.#read(at, SECTOR).every((b) => b === 0xff)) continue;
      d.chip.romErase("sector", start + at);
      this.#h.print(".");
      await d.settle();
      if (this.#h.stopped()) return false;
    }
    this.#h.print(` to ${hex6(start + size - 1)}\n`);
    d.flashSettled();
    return true;
  }

  /** The load the reboot-config record asked for, then Lua's second start. */
  async #load(name: string): Promise<boolean> {
    const d = this.#h.device;
    // delete the record (the firmware's lives outside the partition, so this prints nothing)
    if (this.#word(0) === LFS53_SIG) {
      d.chip.romWrite(this.#lfs.start + RECORD_AT, new Uint8Array(MAGIC.length));
    } else d.chip.romErase("sector", this.#lfs.start);
    const file = this.#h.fs()?.read(name);
    if (file === undefined) {
      this.#h.print(`cannot open ${name}\n`);
      return false;
    }
    if (!(await this.#erase())) return false;
    let image;
    try {
      image = readLfs53Image(file, this.#build());
    } catch (error) {
      this.#h.print(`${(error as Error).message}\n`);
      return false;
    }
    if (IMAGE_AT + file.length > this.#lfs.size) {
      this.#h.print("(null): not enough space in LFS precompiled chunk\n");
      return false;
    }
    for (let at = 0; at < file.length; at += SECTOR) {
      d.chip.romWrite(this.#lfs.start + IMAGE_AT + at, file.subarray(at, at + SECTOR));
      await d.settle();
      if (this.#h.stopped()) return false;
    }
    const header = new DataView(new ArrayBuffer(48));
    const fields = [LFS53_SIG, IMAGE_AT + file.length, image.seed >>> 0, image.timestamp >>> 0];
    fields.push(image.shortStrings, 1 << Math.ceil(Math.log2(Math.max(1, image.shortStrings))));
    fields.forEach((v, i) => header.setUint32(4 * i, v >>> 0, true));
    d.chip.romWrite(this.#lfs.start, new Uint8Array(header.buffer));
    d.flashSettled();
    this.#h.print("LFS image loaded\n");
    return true;
  }
}
