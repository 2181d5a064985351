import assert from "node:assert/strict";
import { join } from "node:path";
import { isNodeflashError } from "../errors.ts";
import { sha256 } from "./digest.ts";
import { writeVerifiedFile } from "./write_verified_file.ts";

const data = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
const hexOf = (bytes: Uint8Array) => {
  const h = sha256();
  h.update(bytes);
  return h.hex();
};

/** A stream of `bytes` in 64 KiB chunks, optionally failing after `failAfter` bytes. */
function streamOf(bytes: Uint8Array, failAfter?: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAfter !== undefined && offset >= failAfter) {
        controller.error(new TypeError("connection reset"));
        return;
      }
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + 65_536));
      offset += 65_536;
    },
  });
}

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("writeVerifiedFile writes, verifies and reports progress", async () => {
  await withDir(async (dir) => {
    const progress: number[] = [];
    const file = await writeVerifiedFile(streamOf(data), {
      dir: join(dir, "new", "sub"),
      fileName: "fw.bin",
      size: data.length,
      sha256: hexOf(data),
      label: "test",
      onProgress: (received, total) => {
        assert.equal(total, data.length);
        progress.push(received);
      },
    });
    assert.equal(file.path, join(dir, "new", "sub", "fw.bin"));
    assert.equal(file.sha256, hexOf(data));
    assert.deepEqual(await Deno.readFile(file.path), data);
    assert.equal(progress.at(-1), data.length);
    assert.ok(progress.length >= 3, "one event per chunk");
    assert.deepEqual(await listing(join(dir, "new", "sub")), ["fw.bin"]);
  });
});

Deno.test("a digest mismatch deletes everything and is a device error", async () => {
  await withDir(async (dir) => {
    await assert.rejects(
      writeVerifiedFile(streamOf(data), {
        dir,
        fileName: "fw.bin",
        size: data.length,
        sha256: "0".repeat(64),
        label: "asset 'fw.bin' of o/r@v1",
      }),
      (e) => {
        assert.ok(isNodeflashError(e));
        assert.equal(e.code, "release/digest-mismatch");
        assert.equal(e.kind, "device");
        assert.match(e.message, /asset 'fw\.bin' of o\/r@v1/);
        return true;
      },
    );
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("truncated, over-long and broken streams leave no file", async () => {
  const cases: Array<[ReadableStream<Uint8Array>, number, string]> = [
    [streamOf(data.slice(0, 100_000)), data.length, "release/truncated"],
    [streamOf(data), 100_000, "release/size-mismatch"],
    [streamOf(data, 65_536), data.length, "release/connection-lost"],
  ];
  for (const [stream, size, code] of cases) {
    await withDir(async (dir) => {
      await assert.rejects(
        writeVerifiedFile(stream, { dir, fileName: "fw.bin", size, label: "x" }),
        { code },
      );
      assert.deepEqual(await listing(dir), [], code);
    });
  }
});

Deno.test("a failed download does not touch an existing file of the same name", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "fw.bin"), "previous");
    await assert.rejects(
      writeVerifiedFile(streamOf(data, 65_536), {
        dir,
        fileName: "fw.bin",
        size: data.length,
        label: "x",
      }),
      { code: "release/connection-lost" },
    );
    assert.equal(await Deno.readTextFile(join(dir, "fw.bin")), "previous");
    assert.deepEqual(await listing(dir), ["fw.bin"]);
  });
});
