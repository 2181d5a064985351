/**
 * Boot transcripts for test boards, in the byte-exact forms recorded in docs/boot-log.md A and B:
 * the ROM's 74880-baud lines, NodeMCU banners of every era at 115200, the first-boot format and
 * the failure signatures. Commit hashes, dates and module lists follow the public transcripts
 * cited there (nodemcu-firmware#3030, #3194, #3408, nodemcu-httpserver#110); the Docker build's
 * commit is a placeholder.
 *
 * @module
 */

import type { BannerFields } from "../banner.ts";

/** One burst a real board sent during a boot. */
export interface BoardStep {
  /** How long after the previous burst (or the reset) it came, ms. */
  delayMs: number;
  /** The rate it was sent at. */
  baud: number;
  /** The bytes; a string is Latin-1 (one character per byte). */
  data: string | Uint8Array;
  /** What the board was doing from this burst on (`formatting`...). */
  state?: string;
}

/** What a real board printed in one boot, and what it did after the last burst. */
export interface BootScript {
  /** The bursts, in order. */
  steps: BoardStep[];
  /** After the last burst: a Lua prompt, silence, or another boot (a loop). */
  then: "repl" | "hang" | "reboot";
}

/** What a boot's transcript may depend on. */
export interface BootContext {
  /** 0 for the first boot after the reset, then 1, 2... */
  boot: number;
  /** GPIO0 was low when the boot mode was sampled (UART download mode). */
  gpio0Low: boolean;
}

/** The ROM's rate on 26 MHz boards. */
export const ROM_BAUD = 74880;
/** NodeMCU's console rate. */
export const CONSOLE_BAUD = 115200;

/**
 * The ROM header, exactly as the chip sends it: CRLF, one space, `ets Jan  8 2013` (two
 * spaces), `rst cause:N`, `boot mode:(x,y)`, CRLF and an empty CRLF line.
 *
 * @param rstCause reset cause (1 power-on, 2 EN pin, 4 watchdog)
 * @param bootMode `[x, y]`
 * @returns the header text
 *
 * @example
 * ```ts
 * import { romHeader } from "./transcripts.ts";
 * if (romHeader(2, [3, 6]) !== "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n") throw new Error();
 * ```
 */
export function romHeader(rstCause: number, bootMode: [number, number]): string {
  return `\r\n ets Jan  8 2013,rst cause:${rstCause}, boot mode:(${bootMode[0]},${
    bootMode[1]
  })\r\n\r\n`;
}

/** A flash boot's segment loads (nodemcu#3131/#3194 shape; `load` lines end with a space). */
export const ROM_LOADS = "load 0x40100000, len 27444, room 16 \r\ntail 4\r\nchksum 0xa7\r\n" +
  "load 0x3ffe8000, len 2560, room 4 \r\ntail 12\r\nchksum 0x13\r\nho 0 tail 12 room 4\r\n" +
  "load 0x3ffe8a00, len 8, room 12 \r\ntail 8\r\nchksum 0x6c\r\ncsum 0x6c\r\n";

/** NodeMCU 3.x pre-init and SDK lines, still at 74880 (esptool#494 shape). */
export const SDK_PRE_INIT = "system SPI FI size:4, Flash size: 4194304\r\n" +
  "rf cal sector: 1019\r\nfreq trace enable 0\r\nrf[112] : 00\r\nrf[113] : 00\r\nrf[114] : 01\r\n\r\n" +
  "SDK ver: 3.0.1-dev(fce080e) compiled @ Jan 10 2020 17:01:33\r\n";

/** The format message (`\n` sent as CRLF). */
export const FORMATTING = "Formatting file system. Please wait...\r\n";

/** A banner era: the text NodeMCU prints at 115200 after the ROM, and the fields it carries. */
export interface BannerCase {
  /** Which era. */
  name: string;
  /** Banner plus the `init.lua` message plus the first prompt. */
  console: string;
  /** What a parser must find. */
  fields: BannerFields;
}

const CLOUD_MODULES = "adc,cron,crypto,dht,encoder,file,gpio,http,mdns,net,node,perf,rtctime," +
  "sjson,sntp,tmr,uart,websocket,wifi,tls";

/** Every documented banner format (docs/boot-log.md A.5), each followed by its first prompt. */
export const BANNERS: readonly BannerCase[] = [
  {
    name: "0.9.x (2015)",
    console:
      "\r\nNodeMCU 0.9.5 build 20150318  powered by Lua 5.1.4\r\nlua: cannot open init.lua\r\n> ",
    fields: { version: "0.9.5", buildDate: "20150318", lua: "5.1.4" },
  },
  {
    name: "1.5-2.2 plain source build",
    console: "\r\nNodeMCU 2.1.0 build unspecified powered by Lua 5.1.4 on SDK 2.1.0(116b762)\r\n" +
      "lua: cannot open init.lua\r\n> ",
    fields: { version: "2.1.0", buildDate: "unspecified", lua: "5.1.4", sdk: "2.1.0(116b762)" },
  },
  {
    name: "cloud builder 2015-2019",
    console: "\r\nNodeMCU custom build by frightanic.com\r\n\tbranch: master\r\n" +
      "\tcommit: 2e67ff5a639a13260fd4fb3c3b627ccdc2845616\r\n\tSSL: true\r\n" +
      "\tmodules: adc,bit,file,gpio,net,node,tmr,uart,wifi,tls\r\n" +
      " build \tbuilt on: 2017-08-30 18:00\r\n powered by Lua 5.1.4 on SDK 2.1.0(116b762)\r\n" +
      "lua: cannot open init.lua\r\n> ",
    fields: {
      prolog: "custom build by frightanic.com",
      branch: "master",
      commit: "2e67ff5a639a13260fd4fb3c3b627ccdc2845616",
      ssl: true,
      modules: ["adc", "bit", "file", "gpio", "net", "node", "tmr", "uart", "wifi", "tls"],
      buildDate: "2017-08-30 18:00",
      lua: "5.1.4",
      sdk: "2.1.0(116b762)",
    },
  },
  {
    name: "Docker builder (2.x)",
    console: "\r\nNodeMCU  built with Docker provided by frightanic.com\r\n\tbranch: dev\r\n" +
      "\tcommit: 0123456789abcdef0123456789abcdef01234567\r\n\tSSL: false\r\n" +
      "2.2.0.0 build created on 2018-07-29 04:28\r\n powered by Lua 5.1.4 on SDK 2.2.1(6ab97e9)\r\n" +
      "lua: cannot open init.lua\r\n> ",
    fields: {
      version: "2.2.0.0",
      prolog: "built with Docker provided by frightanic.com",
      branch: "dev",
      commit: "0123456789abcdef0123456789abcdef01234567",
      ssl: false,
      buildDate: "2018-07-29 04:28",
      lua: "5.1.4",
      sdk: "2.2.1(6ab97e9)",
    },
  },
  {
    name: "3.x cloud build",
    console: "\r\nNodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com\r\n" +
      "\tbranch: dev\r\n\tcommit: cb1b40fffae85cdff5c12d9264b8d8277521ff25\r\n\trelease: \r\n" +
      "\trelease DTS: 202006220601\r\n\tSSL: true\r\n\tbuild type: float\r\n" +
      "\tLFS: 0x20000 bytes total capacity\r\n" + `\tmodules: ${CLOUD_MODULES}\r\n` +
      " build 2020-06-27 20:24 powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)\r\n" +
      "cannot open init.lua: \r\n> ",
    fields: {
      version: "3.0.0.0",
      prolog: "built on nodemcu-build.com provided by frightanic.com",
      branch: "dev",
      commit: "cb1b40fffae85cdff5c12d9264b8d8277521ff25",
      release: "",
      releaseDts: "202006220601",
      ssl: true,
      buildType: "float",
      lfs: "0x20000 bytes total capacity",
      lfsBytes: 0x20000,
      modules: CLOUD_MODULES.split(","),
      buildDate: "2020-06-27 20:24",
      lua: "5.1.4",
      sdk: "3.0.1-dev(fce080e)",
    },
  },
  {
    name: "3.x make build, Lua 5.3",
    console: "\r\nNodeMCU 3.0.0.0 \r\n\tbranch: release\r\n" +
      "\tcommit: 71a182caa7841cbb478ed90ede526dc881943c80\r\n\trelease: 3.0-master_20200910 +61\r\n" +
      "\trelease DTS: 202009101234\r\n\tSSL: false\r\n\tbuild type: integer\r\n\tLFS: 0x0\r\n" +
      "\tmodules: file,gpio,net,node,tmr,uart,wifi\r\n" +
      " build 2020-09-10 12:34 powered by Lua 5.3.5 on SDK 3.0.1-dev(fce080e)\r\n" +
      "cannot open init.lua: \r\n> ",
    fields: {
      version: "3.0.0.0",
      prolog: "",
      branch: "release",
      commit: "71a182caa7841cbb478ed90ede526dc881943c80",
      release: "3.0-master_20200910 +61",
      releaseDts: "202009101234",
      ssl: false,
      buildType: "integer",
      lfs: "0x0",
      lfsBytes: 0,
      modules: ["file", "gpio", "net", "node", "tmr", "uart", "wifi"],
      buildDate: "2020-09-10 12:34",
      lua: "5.3.5",
      sdk: "3.0.1-dev(fce080e)",
    },
  },
];

/** Options for {@link nodemcuBoot}. */
export interface NodemcuBootOptions {
  /** Ms between the ROM's burst and NodeMCU's first output (RF calibration and init). */
  gapMs?: number;
  /** Format dots to print before the banner (first boot after a flash); none by default. */
  formatDots?: number;
  /** Ms between format dots. */
  dotMs?: number;
}

/**
 * A whole good boot: the ROM at 74880 (header, loads, SDK lines), then NodeMCU at 115200
 * (optional format, banner, `init.lua` message, prompt).
 *
 * @param console the 115200 part (a {@link BannerCase}'s `console`)
 * @param options gaps and the format
 * @returns the boot script
 *
 * @example
 * ```ts
 * import { BANNERS, nodemcuBoot } from "./transcripts.ts";
 * const script = nodemcuBoot(BANNERS[0]!.console, { formatDots: 3 });
 * if (script.then !== "repl" || script.steps.length !== 6) throw new Error();
 * ```
 */
export function nodemcuBoot(console: string, options: NodemcuBootOptions = {}): BootScript {
  const steps: BoardStep[] = [
    { delayMs: 1, baud: ROM_BAUD, data: romHeader(2, [3, 6]) + ROM_LOADS + SDK_PRE_INIT },
  ];
  const dots = options.formatDots ?? 0;
  let gap = options.gapMs ?? 150;
  if (dots > 0) {
    steps.push({ delayMs: gap, baud: CONSOLE_BAUD, data: FORMATTING, state: "formatting" });
    for (let i = 0; i < dots; i++) {
      steps.push({ delayMs: options.dotMs ?? 2, baud: CONSOLE_BAUD, data: "." });
    }
    gap = options.dotMs ?? 2;
  }
  steps.push({
    delayMs: gap,
    baud: CONSOLE_BAUD,
    data: console,
    state: "starting Lua",
  });
  return { steps, then: "repl" };
}
