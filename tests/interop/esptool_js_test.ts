/**
 * esptool-js 0.7.0 (npm, pinned in deno.json) against the simulator, through a small stand-in
 * for a Web Serial `SerialPort` backed by a memory link. esptool-js uploads the new
 * esp-flasher-stub, so this checks the simulator's model of that stub against the client it was
 * written for: connect, chip detection, stub upload, baud change (close + reopen), compressed
 * write with MD5 verification, read-back and chip erase.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ESPLoader, Transport } from "esptool-js/lib/index.js";
import { SimBoard } from "../../lib/sim/board.ts";
import { connectSimLink } from "../../lib/sim/sim_link.ts";
import type { MemoryLink } from "../../lib/transport/memory.ts";

/** Just enough of Web Serial's SerialPort for esptool-js's Transport. */
class SimSerialPort {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  #board: SimBoard;
  #link: MemoryLink | undefined;

  constructor(board: SimBoard) {
    this.#board = board;
  }

  open(options: { baudRate: number }): Promise<void> {
    const link = connectSimLink(this.#board, { baudRate: options.baudRate, url: "webserial:" });
    this.#link = link;
    this.readable = link.transport.readable;
    this.writable = new WritableStream({ write: (chunk) => link.transport.write(chunk) });
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.#link?.transport.close();
    this.readable = null;
    this.writable = null;
  }

  setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean }): Promise<void> {
    const now = this.#board.signals;
    return this.#link?.transport.setSignals({
      dtr: signals.dataTerminalReady ?? now.dtr,
      rts: signals.requestToSend ?? now.rts,
    }) ?? Promise.resolve();
  }

  getInfo(): { usbVendorId: number; usbProductId: number } {
    return { usbVendorId: 0x10c4, usbProductId: 0xea60 };
  }
}

Deno.test("esptool-js 0.7.0 flashes, verifies, reads and erases through the new stub", async () => {
  const board = new SimBoard({ mac: "5c:cf:7f:c0:ff:ee" });
  const port = new SimSerialPort(board);
  const lines: string[] = [];
  const terminal = {
    clean() {},
    writeLine: (line: string) => void lines.push(line),
    write: (text: string) => void lines.push(text),
  };
  // The stand-in implements the part of SerialPort that esptool-js's Transport uses.
  const device = port as unknown as ConstructorParameters<typeof Transport>[0];
  const transport = new Transport(device, false);
  const loader = new ESPLoader({ transport, baudrate: 921600, romBaudrate: 115200, terminal });
  try {
    const chip = await loader.main("default_reset");
    assert.match(chip, /ESP8266/);
    assert.equal(board.runningStub?.family, "esp-flasher-stub");
    assert.equal(board.uart.hostBaud, 921600);
    const image = new Uint8Array(0x9000).map((_, i) => (i * 7 + (i >> 8)) & 0xff);
    await loader.writeFlash({
      fileArray: [{ data: image, address: 0x20000 }],
      flashMode: "keep",
      flashFreq: "keep",
      flashSize: "keep",
      eraseAll: false,
      compress: true,
      calculateMD5Hash: (data) => createHash("md5").update(data).digest("hex"),
    });
    assert.deepEqual(board.flash.read(0x20000, image.length), image);
    const back = await loader.readFlash(0x20000, 0x2000);
    assert.deepEqual(back, image.subarray(0, 0x2000));
    await loader.eraseFlash();
    assert.equal(board.flash.isBlank(0, board.flash.size), true);
    assert.ok(lines.some((l) => /5c:cf:7f:c0:ff:ee/i.test(l)), lines.join("\n"));
  } finally {
    await transport.disconnect().catch(() => {});
    await port.close();
    await board.close();
  }
});
