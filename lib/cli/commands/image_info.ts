/**
 * `nodeflash image-info FILE` (esptool's `image_info`): the header, segments, entry point,
 * checksum verdict and the NodeMCU banner of a firmware image. No device needed.
 *
 * @module
 */

import { hex32 } from "../../protocol/mod.ts";
import { type ImageInfo, imageInfo } from "../../image/mod.ts";
import { userError } from "../../../mod.ts";
import type { Command } from "../command.ts";
import { readUserFile } from "../values.ts";

/**
 * The human report.
 *
 * @param name the file name
 * @param info what imageInfo found
 * @returns lines of text
 */
export function describeImage(name: string, info: ImageInfo): string[] {
  const h = info.header;
  const check = (c: { valid: boolean; stored: number; computed: number }, width: number) =>
    c.valid
      ? "valid"
      : `invalid (stored ${hex32(c.stored, width)}, computed ${hex32(c.computed, width)})`;
  const lines = [
    `${name}: ESP8266 ${info.format} image, ${info.length} bytes`,
    `flash mode: ${h.mode ?? `unknown (0x${h.modeCode.toString(16)})`}`,
    `flash size: ${h.size ?? `unknown (code 0x${h.sizeCode.toString(16)})`}`,
    `flash freq: ${h.freq ?? `unknown (code 0x${h.freqCode.toString(16)})`}`,
    `entry ${hex32(info.entry)}`,
    `segments: ${info.segments.length}`,
    ...info.segments.map((s, i) =>
      `  ${i + 1}: load ${hex32(s.loadAddress)}, ${s.length} bytes at file offset ${
        hex32(s.fileOffset)
      } (${s.region})`
    ),
    `checksum: ${check(info.checksum, 2)}`,
  ];
  if (info.crc) lines.push(`crc32: ${check(info.crc, 8)}`);
  if (info.trailingBytes > 0) {
    lines.push(`after the image: ${info.trailingBytes} more bytes (e.g. the IROM part at 0x10000)`);
  }
  const n = info.nodemcu;
  if (n) {
    const fields = [
      n.version && `version ${n.version}`,
      n.branch && `branch ${n.branch}`,
      n.commit && `commit ${n.commit}`,
      n.ssl !== undefined && `SSL ${n.ssl}`,
      n.buildType && `${n.buildType} build`,
      n.lua && `Lua ${n.lua}`,
      n.sdk && `SDK ${n.sdk}`,
    ].filter(Boolean);
    lines.push(`NodeMCU: ${fields.join(", ")}`);
    if (n.modules) lines.push(`modules: ${n.modules.join(",")}`);
  }
  for (const w of info.warnings) lines.push(`warning: ${w}`);
  return lines;
}

/** The `image-info` command. */
export const imageInfoCommand: Command = {
  name: "image-info",
  aliases: ["image_info"],
  summary: "show an image's header, segments, checksum and NodeMCU version (no board needed)",
  usage: "image-info FILE",
  options: {},
  async run(ctx) {
    if (ctx.positionals.length !== 1) {
      throw userError(
        "input/usage",
        "image-info takes one FILE",
        "Run: nodeflash image-info firmware.bin",
      );
    }
    const name = ctx.positionals[0]!;
    const info = imageInfo(await readUserFile(name), { name });
    ctx.out.print(describeImage(name, info).join("\n"));
    ctx.out.result({ ok: true, file: name, ...info });
    return 0;
  },
};
