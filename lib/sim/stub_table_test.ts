import assert from "node:assert/strict";
import { Op } from "../protocol/opcodes.ts";
import { SimBoard } from "./board.ts";
import { KNOWN_STUBS } from "./stub_table.ts";
import { dataPacket, le, SimTestHost, SYNC_DATA } from "./testing.ts";
import { esptoolDir, skipOrFail } from "../../tests/support/esptool.ts";

interface StubJson {
  entry: number;
  text: string;
  text_start: number;
  data: string;
  data_start: number;
}

const LEGACY_JSON = `${esptoolDir()}/esptool/targets/stub_flasher/1/esp8266.json`;

/** esptool 4.8.1's stub, from the peer checkout: skipped where it is missing (not in CI). */
async function legacyJson(): Promise<StubJson | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(LEGACY_JSON));
  } catch {
    skipOrFail(`esptool's stub JSON is not at ${LEGACY_JSON}`);
    return undefined;
  }
}

/** esptool-js 0.7.0's stub, from the pinned npm package: it must load (no skip). */
async function newJson(): Promise<StubJson> {
  const mod = await import("esptool-js/lib/targets/stub_flasher/esp8266.json", {
    with: { type: "json" },
  });
  return mod.default as StubJson;
}

const legacy = await legacyJson();
const fresh = await newJson();
const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** Uploads a stub the way esptool does: text then data in 0x1800 blocks, then MEM_END(0, entry). */
async function upload(host: SimTestHost, stub: StubJson, tamper = false): Promise<Uint8Array[]> {
  await host.command(Op.SYNC, SYNC_DATA);
  for (
    const [b64, start] of [[stub.text, stub.text_start], [stub.data, stub.data_start]] as const
  ) {
    const seg = bytes(b64);
    if (tamper && start === stub.data_start) seg[seg.length - 1]! ^= 1;
    const blocks = Math.ceil(seg.length / 0x1800);
    await host.command(Op.MEM_BEGIN, le(seg.length, blocks, 0x1800, start));
    for (let i = 0; i < blocks; i++) {
      const [r] = await host.exchange(
        dataPacket(Op.MEM_DATA, seg.subarray(i * 0x1800, (i + 1) * 0x1800), i),
      );
      assert.deepEqual(r?.status, [0, 0]);
    }
  }
  host.send(new Uint8Array([0, Op.MEM_END, 8, 0, 0, 0, 0, 0, ...le(0, stub.entry)]));
  return host.frames();
}

Deno.test("the table's figures match the stub JSON files", {
  ignore: legacy === undefined,
}, async () => {
  const { createHash } = await import("node:crypto");
  for (const [json, row] of [[legacy!, KNOWN_STUBS[0]!], [fresh!, KNOWN_STUBS[1]!]] as const) {
    assert.equal(json.entry, row.entry);
    for (
      const [b64, start, seg] of [[json.text, json.text_start, row.text], [
        json.data,
        json.data_start,
        row.data,
      ]] as const
    ) {
      const b = bytes(b64);
      assert.deepEqual(
        { address: start, length: b.length, sha256: createHash("sha256").update(b).digest("hex") },
        seg,
      );
    }
  }
});

for (
  const [name, json, family] of [["esptool 4.8.1", legacy, "legacy"], [
    "esptool-js 0.7.0",
    fresh,
    "esp-flasher-stub",
  ]] as const
) {
  Deno.test(`uploading the ${name} stub through the ROM starts it (OHAI)`, {
    ignore: json === undefined,
  }, async () => {
    const board = new SimBoard({ bootMode: "download" });
    const host = new SimTestHost(board);
    const frames = await upload(host, json!);
    assert.equal(frames.length, 2, "MEM_END reply, then OHAI");
    assert.deepEqual([...frames[0]!.subarray(8)], [0, 0]);
    assert.equal(new TextDecoder().decode(frames[1]), "OHAI");
    assert.equal(board.state, "stub");
    assert.equal(board.runningStub?.family, family);
    const sync = await host.command(Op.SYNC, SYNC_DATA);
    assert.ok(sync.length === 8 && sync.every((r) => r.value === 0), "stub already running");
    await board.close();
  });

  Deno.test(`a modified ${name} stub is unknown code: the board goes silent`, {
    ignore: json === undefined,
  }, async () => {
    const board = new SimBoard({ bootMode: "download" });
    const host = new SimTestHost(board);
    const frames = await upload(host, json!, true);
    assert.equal(frames.length, 1, "only the MEM_END reply");
    assert.equal(board.state, "halted");
    assert.deepEqual(await host.command(Op.SYNC, SYNC_DATA), []);
    await board.close();
  });
}

Deno.test(
  "the same stub uploaded again through the running one restarts it; another stub over it breaks it",
  {
    ignore: legacy === undefined || fresh === undefined,
  },
  async () => {
    const board = new SimBoard({ bootMode: "download" });
    const host = new SimTestHost(board);
    try {
      await upload(host, legacy!);
      // esptool --before no_reset_no_sync: it does not know a stub runs and uploads it again
      const again = await upload(host, legacy!);
      assert.equal(new TextDecoder().decode(again.at(-1)), "OHAI");
      assert.equal(board.state, "stub");
      assert.equal(board.runningStub?.family, "legacy");
      // The new stub's text overlaps the legacy one's with other bytes: the running code is gone.
      const text = bytes(fresh!.text);
      await host.command(Op.MEM_BEGIN, le(text.length, 2, 0x1800, fresh!.text_start));
      const [r] = await host.exchange(dataPacket(Op.MEM_DATA, text.subarray(0, 0x1800), 0));
      assert.deepEqual(r?.status, [0, 0], "copied, then the code it runs is not its own any more");
      assert.equal(board.state, "halted");
    } finally {
      await board.close();
    }
  },
);
