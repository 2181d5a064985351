/**
 * Streams bytes into a file that appears only once it is complete and verified: the bytes go
 * to a temporary file in the destination directory, size and SHA-256 are checked, and only
 * then is it renamed into place. On any failure the temporary file is deleted, so a truncated
 * or corrupted download never leaves a file behind.
 *
 * @module
 */

import { join } from "node:path";
import { deviceError } from "../errors.ts";
import { sha256 } from "./digest.ts";

/** Options for {@link writeVerifiedFile}. */
export interface WriteVerifiedOptions {
  /** Destination directory (created if missing). */
  dir: string;
  /** File name inside `dir`; must already be a safe name. */
  fileName: string;
  /** Exact expected size in bytes. */
  size: number;
  /** Expected SHA-256, lower-case hex; unchecked when absent. */
  sha256?: string | undefined;
  /** What is being written, for messages, e.g. `asset 'fw.bin' of o/r@v1`. */
  label: string;
  /** Called after each chunk with bytes received and the expected total. */
  onProgress?: ((received: number, total: number) => void) | undefined;
}

/** A complete, verified file. */
export interface VerifiedFile {
  /** Where it is. */
  path: string;
  /** Its SHA-256, lower-case hex. */
  sha256: string;
  /** Its size in bytes. */
  size: number;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
}

function sizeError(code: string, label: string, received: number, size: number, more: boolean) {
  return deviceError(
    code,
    more
      ? `The download of ${label} sent more than the expected ${size} bytes`
      : `The download of ${label} ended after ${received} of ${size} bytes`,
    "The partial file was deleted; try again.",
  );
}

/** Copies the stream into the open file, hashing and counting; returns the hex digest. */
async function pump(
  source: ReadableStream<Uint8Array>,
  file: Deno.FsFile,
  options: WriteVerifiedOptions,
): Promise<string> {
  const hash = sha256();
  const reader = source.getReader();
  let received = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw deviceError(
          "release/connection-lost",
          `The connection broke while downloading ${options.label} ` +
            `after ${received} of ${options.size} bytes`,
          "The partial file was deleted; try again.",
          { cause: error },
        );
      }
      if (chunk.done) break;
      received += chunk.value.length;
      if (received > options.size) {
        throw sizeError("release/size-mismatch", options.label, received, options.size, true);
      }
      hash.update(chunk.value);
      await writeAll(file, chunk.value);
      options.onProgress?.(received, options.size);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  if (received < options.size) {
    throw sizeError("release/truncated", options.label, received, options.size, false);
  }
  return hash.hex();
}

/**
 * Writes a stream to `dir/fileName` through a temporary file, verifying size and SHA-256.
 * Errors: `release/truncated`, `release/connection-lost`, `release/size-mismatch`,
 * `release/digest-mismatch` (all device errors); the temporary file is always removed.
 *
 * @param source the bytes
 * @param options destination, expected size and hash, label and progress callback
 * @returns the verified file
 *
 * @example
 * ```ts
 * import { writeVerifiedFile } from "./write_verified_file.ts";
 * const dir = await Deno.makeTempDir();
 * const bytes = new TextEncoder().encode("abc");
 * const file = await writeVerifiedFile(new Blob([bytes]).stream(), {
 *   dir, fileName: "abc.bin", size: 3, label: "example",
 *   sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * });
 * await Deno.remove(dir, { recursive: true });
 * if (file.size !== 3) throw new Error();
 * ```
 */
export async function writeVerifiedFile(
  source: ReadableStream<Uint8Array>,
  options: WriteVerifiedOptions,
): Promise<VerifiedFile> {
  const temp = join(options.dir, `.nodeflash-${crypto.randomUUID()}.part`);
  const path = join(options.dir, options.fileName);
  let file: Deno.FsFile | undefined;
  try {
    await Deno.mkdir(options.dir, { recursive: true });
    file = await Deno.open(temp, { createNew: true, write: true });
    const hex = await pump(source, file, options);
    file.close();
    file = undefined;
    if (options.sha256 !== undefined && hex !== options.sha256) {
      throw deviceError(
        "release/digest-mismatch",
        `The SHA-256 of ${options.label} is ${hex}, but GitHub's digest says ${options.sha256}`,
        "The download was corrupted or the asset was replaced; the file was deleted. " +
          "Try again, and report it to the release's maintainers if it persists.",
      );
    }
    await Deno.rename(temp, path);
    return { path, sha256: hex, size: options.size };
  } catch (error) {
    try {
      file?.close();
    } catch { /* already closed */ }
    await Deno.remove(temp).catch(() => {});
    await source.cancel().catch(() => {});
    throw error;
  }
}
