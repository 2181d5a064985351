import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import {
  chipIdFromEfuses,
  chipVariant,
  crystalFromDivider,
  type Efuses,
  efusesForMac,
  formatMac,
  macFromEfuses,
  parseMac,
  uartDividerFor,
} from "./identity.ts";

/** The worked example of protocol.md §5.3 (trace from Arduino #5635). */
const EXAMPLE: Efuses = [0xa6160000, 0x020023b4, 0, 0x00600194];

Deno.test("the worked example: MAC 60:01:94:23:b4:a6, chip id 0x0023B4A6, ESP8266EX", () => {
  assert.equal(formatMac(macFromEfuses(EXAMPLE)), "60:01:94:23:b4:a6");
  assert.equal(chipIdFromEfuses(EXAMPLE), 0x0023b4a6);
  assert.deepEqual(chipVariant(EXAMPLE), {
    variant: "ESP8266EX",
    description: "ESP8266EX",
    features: ["Wi-Fi", "160MHz"],
  });
});

Deno.test("OUI rules: word 3 first, then the legacy selector in word 1", () => {
  assert.equal(formatMac(macFromEfuses([0x11000000, 0x00002233, 0, 0])), "18:fe:34:22:33:11");
  assert.equal(formatMac(macFromEfuses([0x11000000, 0x00012233, 0, 0])), "ac:d0:74:22:33:11");
  // A non-zero word 3 wins over the selector.
  assert.equal(
    formatMac(macFromEfuses([0x11000000, 0x00012233, 0, 0x5ccf7f])),
    "5c:cf:7f:22:33:11",
  );
  assert.throws(() => macFromEfuses([0x11000000, 0x00022233, 0, 0]), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.kind, "device");
    assert.equal(e.code, "chip/unknown-oui");
    assert.match(e.message, /unknown OUI \(eFuse word 3 is 0 and the selector in word 1 is 0x02;/);
    assert.ok(e.hint);
    return true;
  });
});

Deno.test("ESP8285 variants from the eFuse bits", () => {
  const cases: Array<[Efuses, string, string | undefined]> = [
    [[1 << 4, 0, 0, 0], "ESP8285N08", "1MB"],
    [[(1 << 4) | (1 << 5), 0, 0, 0], "ESP8285H08", "1MB"],
    [[1 << 4, 0, 0, 1 << 26], "ESP8285N16", "2MB"],
    [[0, 0, 1 << 16, 1 << 25], "ESP8285N16", "2MB"],
    [[1 << 5, 0, 1 << 16, (1 << 25) | (1 << 26)], "ESP8285", "4MB"],
    [[0, 0, 1 << 16, 0], "ESP8285", undefined],
    [[1 << 4, 0, 0, 1 << 27], "ESP8285", undefined],
    [[1 << 4, 0, 0, 1 << 25], "ESP8285", undefined],
  ];
  for (const [words, description, flash] of cases) {
    const v = chipVariant(words);
    assert.equal(v.variant, "ESP8285");
    assert.equal(v.description, description, words.join(","));
    assert.equal(v.embeddedFlash, flash, words.join(","));
    assert.ok(v.features.includes("Embedded Flash"));
  }
  assert.equal(chipVariant([1 << 5, 0, 0, 0]).variant, "ESP8266EX");
});

Deno.test("efusesForMac round-trips MAC, chip id and variant", () => {
  const macs = ["5c:cf:7f:ab:cd:ef", "18:fe:34:00:00:01", "ac:d0:74:ff:ff:ff", "01:00:00:12:34:56"];
  for (const text of macs) {
    const plain = efusesForMac(text);
    assert.equal(formatMac(macFromEfuses(plain)), text);
    assert.equal(chipVariant(plain).description, "ESP8266EX");
    const mac = parseMac(text);
    assert.equal(chipIdFromEfuses(plain), (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!);
    for (const flash of ["1MB", "2MB", "4MB", "unknown"] as const) {
      for (const temperature of ["normal", "high"] as const) {
        const words = efusesForMac(mac, { variant: "ESP8285", embeddedFlash: flash, temperature });
        assert.equal(formatMac(macFromEfuses(words)), text);
        const v = chipVariant(words);
        assert.equal(v.variant, "ESP8285");
        assert.equal(v.embeddedFlash, flash === "unknown" ? undefined : flash);
        assert.equal(v.temperature, temperature);
      }
    }
  }
  assert.equal(
    chipVariant(efusesForMac(macs[0]!, { variant: "ESP8285" })).description,
    "ESP8285N08",
  );
  assert.throws(() => efusesForMac("00:00:00:01:02:03"), /Cannot store MAC 00:00:00:01:02:03/);
  assert.throws(
    () => efusesForMac("5c:cf:7f"),
    (e) => isNodeflashError(e) && e.code === "input/mac",
  );
});

Deno.test("formatMac and parseMac", () => {
  assert.equal(
    formatMac(new Uint8Array([0x5c, 0xcf, 0x7f, 0xab, 0xcd, 0x0f])),
    "5c:cf:7f:ab:cd:0f",
  );
  assert.deepEqual(parseMac("5CCF7FABCDEF"), parseMac("5c-cf-7f-ab-cd-ef"));
  assert.throws(() => parseMac("5c:cf:7f:ab:cd:eg"), /is not a MAC address/);
});

Deno.test("crystal from the UART divider, esptool's normalisation and the raw estimate", () => {
  const c = crystalFromDivider(115200, 452);
  assert.equal(c.mhz, 26);
  assert.ok(Math.abs(c.estimateMhz - 26.0352) < 1e-9);
  assert.equal(c.unusual, false);
  assert.equal(crystalFromDivider(115200, 694).mhz, 40);
  assert.equal(crystalFromDivider(115200, 833).mhz, 48);
  // Upper bits of the register are not part of the divider.
  assert.equal(crystalFromDivider(115200, 0xfff00000 | 452).mhz, 26);
  // 30 MHz normalises to 26 but is flagged.
  assert.deepEqual(crystalFromDivider(1_000_000, 60), { mhz: 26, estimateMhz: 30, unusual: true });
  for (const baud of [74880, 115200, 230400, 460800, 921600]) {
    for (const xtal of [26, 40] as const) {
      assert.equal(crystalFromDivider(baud, uartDividerFor(baud, xtal)).mhz, xtal, `${baud}`);
    }
  }
});
