/**
 * The test bench of the Action's end-to-end suite: a fake GitHub with two releases, simulated
 * boards behind RFC 2217 servers, and checks of what ended up on the boards and in the logs.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/mod.ts";
import { patchImageHeader } from "../lib/image/mod.ts";
import { type BoardOptions, type SimServer, startSimServer } from "../lib/sim/mod.ts";
import { FakeGitHub, type FakeReleaseSpec } from "./support/fake_github.ts";
import type { ActionRunResult, ActionRunSpec } from "./action_e2e_support.ts";

export const TOKEN = "ghs_e2eSecretToken0123456789";
export const REPOSITORY = "nodemcu/nodemcu-firmware";
export const FIRMWARE = buildNodemcuFirmware({ totalSize: 0x30000, seed: 7 }).combined;
export const OTHER_FIRMWARE = buildNodemcuFirmware({ totalSize: 0x30000, seed: 8 }).combined;
export const INIT_DATA = Uint8Array.from(
  { length: 128 },
  (_, i) => i === 0 ? 0x05 : i === 1 ? 0x08 : (i * 37) & 0xff,
);

export function release(tag: string): FakeReleaseSpec {
  return {
    tag,
    assets: [
      { name: `nodemcu-${tag}-float.bin`, bytes: FIRMWARE },
      { name: `nodemcu-${tag}-integer.bin`, bytes: OTHER_FIRMWARE },
      { name: "esp_init_data_default_v08.bin", bytes: INIT_DATA },
    ],
  };
}

export interface Lab {
  github: FakeGitHub;
  boards: SimServer[];
  close(): Promise<void>;
}

export async function lab(boards: BoardOptions[], options: { token?: string } = {}): Promise<Lab> {
  const github = await FakeGitHub.start({
    releases: [release("v0.9.0"), release("v1.0.0")],
    token: options.token ?? TOKEN,
  });
  const servers: SimServer[] = [];
  for (const boardOptions of boards) {
    servers.push(await startSimServer({ kind: "rfc2217", boardOptions }));
  }
  return {
    github,
    boards: servers,
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await github.close();
    },
  };
}

export function spec(l: Lab, w: Record<string, string>): ActionRunSpec {
  return {
    with: w,
    repository: REPOSITORY,
    token: TOKEN,
    apiUrl: l.github.apiUrl,
    event: { name: "release", payload: l.github.releaseEvent("v1.0.0") },
  };
}

/** What the board's flash must hold after the Action wrote the firmware with `dio`. */
export function expectedImage(board: SimServer): Uint8Array {
  const size = board.board.options.flashSizeName as "4MB" | "1MB";
  return patchImageHeader(FIRMWARE, { mode: "dio", size }).bytes;
}

export function assertFlashed(board: SimServer, initData: Uint8Array | undefined): void {
  const expected = expectedImage(board);
  assert.deepEqual(
    board.board.flash.read(0, expected.length),
    expected,
    `${board.url} holds the firmware`,
  );
  if (initData !== undefined) {
    const at = board.board.flash.size - 0x4000;
    assert.deepEqual(
      board.board.flash.read(at, initData.length),
      initData,
      `${board.url} init data`,
    );
  }
}

export function records(
  run: ActionRunResult,
): Array<Record<string, unknown> & { smoke: Record<string, unknown> | null }> {
  return JSON.parse(run.outputs["results"] ?? "null");
}

export function assertTokenMasked(run: ActionRunResult): void {
  const lines = `${run.stdout}\n${run.stderr}`.split("\n").filter((l) => l.includes(TOKEN));
  assert.deepEqual(lines, [`::add-mask::${TOKEN}`], "the token appears only to be masked");
}
