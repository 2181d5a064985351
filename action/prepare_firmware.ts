/**
 * Gets the firmware (and init data) once, before any board is touched: from the release (by
 * glob, downloaded and verified by size and SHA-256 against GitHub's digest) or from the
 * workspace; checks that the firmware is an ESP8266 image. A failure leaves no file behind.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  checkFiles,
  type FlashFile,
  type InitDataChoice,
  isNodeflashError,
  userError,
} from "../mod.ts";
import {
  defaultCacheDir,
  fetchReleaseAsset,
  type FetchReleaseAssetOptions,
  type ReleaseSelector,
} from "../lib/release/mod.ts";
import { parseImage } from "../lib/image/mod.ts";
import type { ActionConfig } from "./inputs.ts";
import type { FileSource } from "./release_inputs.ts";
import { releaseSelector } from "./release_selector.ts";
import type { RunnerContext } from "./runner_context.ts";

/** Where a prepared file came from, for outputs and the summary. */
export interface PreparedFile {
  /** File name (the asset's, or the workspace path). */
  name: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256, lower-case hex. */
  sha256: string;
  /** `release` or `workspace`. */
  source: "release" | "workspace";
}

/** Everything the boards need, fetched and checked. */
export interface PreparedFirmware {
  /** The firmware at 0x0. */
  files: FlashFile[];
  /** Init data for the flasher. */
  initData: InitDataChoice;
  /** The firmware's description. */
  firmware: PreparedFile;
  /** The init data file's description, when it is a file. */
  initDataFile: PreparedFile | undefined;
  /** The release used, when one was. */
  release: { repository: string; tag: string; id: number } | undefined;
}

/** Something a release download reports (retries, waits, cache hits). */
export type ReleaseNote = Parameters<NonNullable<FetchReleaseAssetOptions["onEvent"]>>[0];

/** Options for {@link prepareFirmware}. */
export interface PrepareFirmwareOptions {
  /** Where the verified files go (created; removed again when preparing fails). */
  destDir: string;
  /** `fetch` for the GitHub API (tests). */
  fetch?: typeof fetch;
  /** Progress worth a log line. */
  onNote?: (note: ReleaseNote) => void;
  /** Cancels downloads. */
  signal?: AbortSignal;
}

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readWorkspaceFile(
  input: "firmware" | "init-data",
  path: string,
  runner: RunnerContext,
): Promise<Uint8Array> {
  const full = resolve(runner.workspace, path);
  try {
    return await Deno.readFile(full);
  } catch (e) {
    throw userError(
      `input/${input}`,
      `input '${input}': cannot read ${path} in the workspace (${full}): ${
        e instanceof Error ? e.message : String(e)
      }`,
      "Check the path (relative to the workspace), and that an earlier step built or downloaded it.",
    );
  }
}

interface Fetched {
  name: string;
  data: Uint8Array;
  file: PreparedFile;
}

/** The release the first asset came from, so a second asset comes from the same one. */
interface Pinned {
  repository: string;
  id: number;
  tag: string;
}

class Fetcher {
  #config: ActionConfig;
  #runner: RunnerContext;
  #options: PrepareFirmwareOptions;
  #pinned: Pinned | undefined;

  constructor(config: ActionConfig, runner: RunnerContext, options: PrepareFirmwareOptions) {
    this.#config = config;
    this.#runner = runner;
    this.#options = options;
  }

  get release(): Pinned | undefined {
    return this.#pinned;
  }

  async get(input: "firmware" | "init-data", source: FileSource): Promise<Fetched> {
    if (source.kind === "path") {
      const data = await readWorkspaceFile(input, source.path, this.#runner);
      const sha256 = await sha256Hex(data);
      return {
        name: source.path,
        data,
        file: { name: source.path, size: data.length, sha256, source: "workspace" },
      };
    }
    // Pinning by id keeps both assets from one release even when 'latest' moves in between.
    const pinned = this.#pinned;
    const selector: ReleaseSelector = pinned === undefined
      ? await releaseSelector(this.#config.release, this.#runner)
      : { kind: "id", id: pinned.id };
    const asset = await fetchReleaseAsset({
      repository: pinned?.repository ?? this.#config.repository,
      release: selector,
      asset: source.glob,
      token: this.#config.token === "" ? undefined : this.#config.token,
      baseUrl: this.#runner.apiUrl,
      destDir: this.#options.destDir,
      cacheDir: defaultCacheDir(this.#runner.env),
      fetch: this.#options.fetch,
      onEvent: this.#options.onNote,
      signal: this.#options.signal,
    });
    this.#pinned = { repository: asset.repository, id: asset.release.id, tag: asset.release.tag };
    const data = await Deno.readFile(asset.path);
    return {
      name: asset.name,
      data,
      file: { name: asset.name, size: asset.size, sha256: asset.sha256, source: "release" },
    };
  }
}

function checkImage(firmware: Fetched): void {
  try {
    parseImage(firmware.data, { name: firmware.name });
  } catch (e) {
    if (!isNodeflashError(e)) throw e;
    throw userError(
      "input/firmware",
      `input 'firmware': ${e.message}`,
      "Pick the NodeMCU .bin (a combined image written at 0x0), not an archive or a map file.",
    );
  }
}

function initDataChoice(fetched: Fetched): InitDataChoice {
  if (fetched.data.length > 0x1000) {
    throw userError(
      "input/init-data",
      `input 'init-data': ${fetched.name} is ${fetched.data.length} bytes; init data is 128 bytes (one 4 KiB sector at most)`,
      "Pick esp_init_data_default.bin, or write init-data: default.",
    );
  }
  return { kind: "file", name: fetched.name, data: fetched.data };
}

/**
 * Fetches and checks the firmware and init data the inputs name.
 *
 * @param config the parsed inputs
 * @param runner the event, API URL, workspace and environment
 * @param options destination, fetch, notes
 * @returns the files and what they are
 * @throws the release layer's errors (`release/...`), or user errors naming the input
 *
 * @example A firmware file from the workspace
 * ```ts
 * import { prepareFirmware } from "./prepare_firmware.ts";
 * import { parseInputs } from "./inputs.ts";
 * import { runnerContext } from "./runner_context.ts";
 * import { buildNodemcuFirmware } from "../lib/testing/mod.ts";
 * import assert from "node:assert/strict";
 * const workspace = await Deno.makeTempDir();
 * await Deno.writeFile(`${workspace}/fw.bin`, buildNodemcuFirmware({ totalSize: 0x12000 }).combined);
 * const runner = runnerContext({ GITHUB_WORKSPACE: workspace }, { cwd: workspace, tempDir: workspace });
 * const prepared = await prepareFirmware(parseInputs({ firmware: "./fw.bin", "init-data": "default" }), runner, {
 *   destDir: `${workspace}/dest`,
 * });
 * assert.equal(prepared.firmware.size, 0x12000);
 * assert.deepEqual(prepared.initData, { kind: "builtin", which: "default" });
 * await Deno.remove(workspace, { recursive: true });
 * ```
 */
export async function prepareFirmware(
  config: ActionConfig,
  runner: RunnerContext,
  options: PrepareFirmwareOptions,
): Promise<PreparedFirmware> {
  await Deno.mkdir(options.destDir, { recursive: true });
  try {
    const fetcher = new Fetcher(config, runner, options);
    const firmware = await fetcher.get("firmware", config.firmware);
    checkImage(firmware);
    const files: FlashFile[] = [{ address: 0, name: firmware.name, data: firmware.data }];
    checkFiles(files);
    let initData: InitDataChoice = { kind: "none" };
    let initDataFile: PreparedFile | undefined;
    if (config.initData.kind === "default") initData = { kind: "builtin", which: "default" };
    else if (config.initData.kind !== "none") {
      const fetched = await fetcher.get("init-data", config.initData);
      initData = initDataChoice(fetched);
      initDataFile = fetched.file;
    }
    return { files, initData, firmware: firmware.file, initDataFile, release: fetcher.release };
  } catch (e) {
    await Deno.remove(options.destDir, { recursive: true }).catch(() => {});
    throw e;
  }
}
