/**
 * READ_FLASH as the stubs run it after their OK reply (docs/protocol.md §10.5): raw SLIP frames
 * of `packetSize` bytes, each acknowledged by the host with a 4-byte frame holding the total
 * received so far, then one 16-byte frame with the MD5 of everything sent.
 *
 * - Legacy stub: compares un-acknowledged *bytes* with the in-flight *packet* count, so with
 *   4 KiB packets only one packet is in flight; any frame that is not 4 bytes ends the transfer
 *   (the MD5 of what was sent follows); a packet size above 4096 leaves it deaf (it returns with
 *   its receive interrupt off).
 * - New stub: one packet in flight; a packet size above 4096 or a read failure is an error
 *   reported on the next command (no MD5 then).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { StubStatus } from "../protocol/status.ts";
import { slipEncode } from "../bytes/slip.ts";
import type { Device } from "./device.ts";
import type { StubDialect } from "./stub_dialect.ts";

/** READ_FLASH arguments. */
export interface ReadFlashArgs {
  /** Flash offset. */
  offset: number;
  /** Bytes to read. */
  length: number;
  /** Bytes per data frame. */
  packetSize: number;
  /** Frames in flight (as the host asked). */
  maxInFlight: number;
  /** The flash-size bound reads are checked against. */
  limit: number;
}

/** How a transfer ended. */
export type ReadFlashOutcome =
  /** Still waiting for acknowledgements. */
  | "running"
  /** The MD5 frame was sent. */
  | "done"
  /** The legacy stub went deaf. */
  | "deaf"
  /** Error for the next command (new stub). */
  | { error: number };

/**
 * One READ_FLASH transfer.
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { ReadFlashSession } from "./stub_read_flash.ts";
 * import { NEW_STUB } from "./stub_dialect.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard({ flashSize: "1MB" });
 * const frames: number[] = [];
 * board.attachHost((b) => frames.push(b.length));
 * const s = new ReadFlashSession(board.device, NEW_STUB, { offset: 0, length: 16, packetSize: 16, maxInFlight: 1, limit: 0x100000 });
 * assert.equal(s.start(), "running");
 * assert.equal(s.onFrame(new Uint8Array([16, 0, 0, 0])), "done");
 * assert.deepEqual(frames, [18, 18]); // 16 data bytes + 2 C0s, then the 16-byte MD5
 * await board.close();
 * ```
 */
export class ReadFlashSession {
  readonly #device: Device;
  readonly #dialect: StubDialect;
  readonly #args: ReadFlashArgs;
  readonly #md5 = createHash("md5");
  #sent = 0;
  #acked = 0;
  #sentPackets = 0;
  #ackedPackets = 0;
  #outcome: ReadFlashOutcome = "running";

  /**
   * @param device the hardware
   * @param dialect the stub family
   * @param args the request
   */
  constructor(device: Device, dialect: StubDialect, args: ReadFlashArgs) {
    this.#device = device;
    this.#dialect = dialect;
    this.#args = args;
  }

  /** How the transfer stands. */
  get outcome(): ReadFlashOutcome {
    return this.#outcome;
  }

  /**
   * Starts sending (right after the OK reply).
   *
   * @returns the outcome so far
   */
  start(): ReadFlashOutcome {
    if (this.#args.packetSize > 4096) {
      this.#outcome = this.#dialect.readFlashInFlight === "legacy-bytes"
        ? "deaf"
        : { error: StubStatus.BAD_DATA_LEN };
      return this.#outcome;
    }
    if (this.#dialect.readFlashInFlight === "legacy-bytes") {
      if (!this.#legacyContinues()) return this.#finish();
      this.#legacySend();
    } else {
      this.#newStep();
    }
    return this.#outcome;
  }

  /**
   * A frame from the host while the transfer runs.
   *
   * @param frame the unescaped frame
   * @returns the outcome
   */
  onFrame(frame: Uint8Array): ReadFlashOutcome {
    if (this.#outcome !== "running") return this.#outcome;
    if (frame.length !== 4) return this.#finish();
    this.#acked = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, true);
    this.#ackedPackets++;
    if (this.#dialect.readFlashInFlight === "legacy-bytes") {
      if (!this.#legacyContinues()) return this.#finish();
      this.#legacySend();
    } else {
      this.#newStep();
    }
    return this.#outcome;
  }

  #legacyContinues(): boolean {
    return this.#acked < this.#args.length && this.#acked <= this.#sent;
  }

  #legacySend(): void {
    const { length, maxInFlight } = this.#args;
    while (this.#sent < length && this.#sent - this.#acked < maxInFlight) {
      if (!this.#sendPacket()) break;
    }
  }

  #newStep(): void {
    const left = this.#args.length - this.#sent;
    if (left > 0 && this.#sentPackets - this.#ackedPackets < 1) {
      if (!this.#sendPacket()) {
        this.#outcome = { error: StubStatus.FAILED_SPI_OP };
        return;
      }
    }
    if (this.#sent >= this.#args.length && this.#acked >= this.#args.length) this.#finish();
  }

  #sendPacket(): boolean {
    const n = Math.min(this.#args.packetSize, this.#args.length - this.#sent);
    const at = this.#args.offset + this.#sent;
    if (at + n > this.#args.limit || this.#device.chip.poweredDown) return false;
    const data = this.#device.chip.romRead(at, n);
    this.#md5.update(data);
    this.#device.send(slipEncode(data));
    this.#sent += n;
    this.#sentPackets++;
    return true;
  }

  #finish(): ReadFlashOutcome {
    this.#device.send(slipEncode(new Uint8Array(this.#md5.digest())));
    this.#outcome = "done";
    return this.#outcome;
  }
}
