/**
 * Lists serial ports with what the OS knows about them: USB ids, strings, driver, stable names,
 * and whether the bridge is one found on ESP8266 boards.
 *
 * Linux reads sysfs (like pyserial's `list_ports_linux`): every `/sys/class/tty/<name>` with a
 * `device` link and a `/dev/<name>` node, skipping ports whose device belongs to the `platform`
 * bus (the phantom `ttyS1..3` of the 8250 driver); on kernels 6.5+ the `serial-base` port/ctrl
 * devices in between are looked through. For `usb-serial` drivers (cp210x, ch341, ftdi_sio,
 * pl2303) the USB interface is the parent of the device directory; for `cdc_acm` the device
 * directory is the interface; the USB device (ids and strings) is the interface's parent.
 * `/dev/serial/by-id` and `/dev/serial/by-path` links are reported when udev made them.
 *
 * macOS: a best effort, the `/dev/cu.*` nodes with no USB details (IOKit is not queried).
 * Windows: nothing yet (the registry and SetupAPI are not read); pass `--port COMn`.
 *
 * @module
 */

import type { UsbInfo } from "../types.ts";

/** A serial port found on this machine. */
export interface PortInfo {
  /** Device path to open (`/dev/ttyUSB0`). */
  path: string;
  /** Kernel name (`ttyUSB0`). */
  name: string;
  /** `/dev/serial/by-id/...` links to it (stable across replugging, per adapter). */
  byId: string[];
  /** `/dev/serial/by-path/...` links to it (stable per physical USB socket). */
  byPath: string[];
  /** Bus of the device (`usb-serial`, `usb`, `pnp`, `amba`). */
  subsystem?: string;
  /** Kernel driver (`cp210x`, `ch341`, `cdc_acm`, `ftdi_sio`). */
  driver?: string;
  /** USB ids and strings. */
  usb?: UsbInfo;
  /** USB interface location (`1-1.3:1.0`). */
  location?: string;
  /** The bridge chip, when the USB ids are one known on ESP8266 boards (`CH340`). */
  bridge?: string;
  /** Whether this looks like an ESP8266 board's USB-serial bridge. */
  likelyEsp: boolean;
}

/** Options for {@link listPorts}. */
export interface ListPortsOptions {
  /** Where sysfs is mounted (`/sys`); tests point it at a fake tree. */
  sysfsRoot?: string;
  /** Where device nodes are (`/dev`). */
  devRoot?: string;
  /** OS to list for, `Deno.build.os` by default. */
  os?: string;
}

/** USB-serial bridges found on ESP8266 boards, by `vid:pid`. */
export const ESP_BRIDGES: Readonly<Record<string, string>> = {
  "10c4:ea60": "CP210x",
  "1a86:7523": "CH340",
  "1a86:7522": "CH340",
  "1a86:5523": "CH341",
  "1a86:55d4": "CH9102",
  "0403:6001": "FT232R",
  "0403:6015": "FT231X",
  "067b:2303": "PL2303",
};

/**
 * Lists the serial ports, sorted by path.
 *
 * @param options injectable roots for tests
 * @returns the ports found (possibly none)
 *
 * @example
 * ```ts
 * import { listPorts } from "./list.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * assert.deepEqual(await listPorts({ sysfsRoot: root, devRoot: root, os: "linux" }), []);
 * await Deno.remove(root);
 * ```
 */
export async function listPorts(options: ListPortsOptions = {}): Promise<PortInfo[]> {
  const os = options.os ?? Deno.build.os;
  let ports: PortInfo[] = [];
  if (os === "linux") {
    ports = await listLinux(options.sysfsRoot ?? "/sys", options.devRoot ?? "/dev");
  } else if (os === "darwin") ports = await listDarwin(options.devRoot ?? "/dev");
  return ports.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
}

/**
 * Finds the port behind a path (a `/dev/serial/by-id/...` link or the device node itself).
 *
 * @param path the path the user gave
 * @param options injectable roots for tests
 * @returns the port, or `undefined` when the listing does not know it (a pty, another OS)
 *
 * @example
 * ```ts
 * import { findPort } from "./list.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * assert.equal(await findPort(`${root}/ttyUSB0`, { sysfsRoot: root, devRoot: root }), undefined);
 * await Deno.remove(root);
 * ```
 */
export async function findPort(
  path: string,
  options: ListPortsOptions = {},
): Promise<PortInfo | undefined> {
  const target = (await real(path)) ?? path;
  for (const port of await listPorts(options)) {
    if (((await real(port.path)) ?? port.path) === target) return port;
  }
  return undefined;
}

async function real(path: string): Promise<string | undefined> {
  try {
    return await Deno.realPath(path);
  } catch {
    return undefined;
  }
}

async function attr(dir: string, name: string): Promise<string | undefined> {
  try {
    const text = (await Deno.readTextFile(`${dir}/${name}`)).trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function parent(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

async function subsystemOf(dir: string): Promise<string | undefined> {
  const s = await real(`${dir}/subsystem`);
  return s === undefined ? undefined : basename(s);
}

/** The device behind a tty, looking through kernel 6.5+ `serial-base` port/ctrl devices. */
async function busDevice(deviceDir: string): Promise<{ dir: string; subsystem?: string }> {
  let dir = deviceDir;
  let subsystem = await subsystemOf(dir);
  for (let i = 0; i < 3 && subsystem === "serial-base"; i++) {
    dir = parent(dir);
    subsystem = await subsystemOf(dir);
  }
  return subsystem === undefined ? { dir } : { dir, subsystem };
}

async function stableLinks(devRoot: string, kind: string): Promise<Map<string, string[]>> {
  const links = new Map<string, string[]>();
  const dir = `${devRoot}/serial/${kind}`;
  try {
    for await (const entry of Deno.readDir(dir)) {
      const target = await real(`${dir}/${entry.name}`);
      if (target === undefined) continue;
      links.set(target, [...(links.get(target) ?? []), `${dir}/${entry.name}`]);
    }
  } catch {
    // no udev links here
  }
  return links;
}

async function usbDetails(
  interfaceDir: string,
): Promise<{ usb?: UsbInfo; location?: string }> {
  const deviceDir = parent(interfaceDir);
  const vid = await attr(deviceDir, "idVendor");
  const pid = await attr(deviceDir, "idProduct");
  if (vid === undefined || pid === undefined) return {};
  const usb: UsbInfo = { vid: vid.toLowerCase(), pid: pid.toLowerCase() };
  const manufacturer = await attr(deviceDir, "manufacturer");
  const product = await attr(deviceDir, "product");
  const serialNumber = await attr(deviceDir, "serial");
  if (manufacturer !== undefined) usb.manufacturer = manufacturer;
  if (product !== undefined) usb.product = product;
  if (serialNumber !== undefined) usb.serialNumber = serialNumber;
  return { usb, location: basename(interfaceDir) };
}

async function describeLinux(
  sysfs: string,
  devRoot: string,
  name: string,
): Promise<Omit<PortInfo, "byId" | "byPath"> | undefined> {
  const deviceDir = await real(`${sysfs}/class/tty/${name}/device`);
  if (deviceDir === undefined) return undefined; // virtual terminals, ptmx, console
  const bus = await busDevice(deviceDir);
  if (bus.subsystem === "platform") return undefined;
  const path = `${devRoot}/${name}`;
  if ((await real(path)) === undefined) return undefined;
  const port: Omit<PortInfo, "byId" | "byPath"> = { path, name, likelyEsp: false };
  if (bus.subsystem !== undefined) port.subsystem = bus.subsystem;
  const driver = await real(`${bus.dir}/driver`);
  if (driver !== undefined) port.driver = basename(driver);
  const interfaceDir = bus.subsystem === "usb-serial"
    ? parent(deviceDir)
    : bus.subsystem === "usb"
    ? deviceDir
    : undefined;
  if (interfaceDir !== undefined) {
    const { usb, location } = await usbDetails(interfaceDir);
    if (usb) {
      port.usb = usb;
      const bridge = ESP_BRIDGES[`${usb.vid}:${usb.pid}`];
      if (bridge !== undefined) {
        port.bridge = bridge;
        port.likelyEsp = true;
      }
    }
    if (location !== undefined) port.location = location;
  }
  return port;
}

async function listLinux(sysfs: string, devRoot: string): Promise<PortInfo[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${sysfs}/class/tty`)) names.push(entry.name);
  } catch {
    return [];
  }
  const byId = await stableLinks(devRoot, "by-id");
  const byPath = await stableLinks(devRoot, "by-path");
  const ports: PortInfo[] = [];
  for (const name of names) {
    const port = await describeLinux(sysfs, devRoot, name);
    if (port === undefined) continue;
    const target = (await real(port.path)) ?? port.path;
    ports.push({ ...port, byId: byId.get(target) ?? [], byPath: byPath.get(target) ?? [] });
  }
  return ports;
}

const DARWIN_SKIP = /^cu\.(Bluetooth-Incoming-Port|debug-console|wlan-debug)$/;
const DARWIN_ESP = /^cu\.(usbserial|SLAB_USBtoUART|wchusbserial|usbmodem)/;

async function listDarwin(devRoot: string): Promise<PortInfo[]> {
  const ports: PortInfo[] = [];
  try {
    for await (const entry of Deno.readDir(devRoot)) {
      if (!entry.name.startsWith("cu.") || DARWIN_SKIP.test(entry.name)) continue;
      ports.push({
        path: `${devRoot}/${entry.name}`,
        name: entry.name,
        byId: [],
        byPath: [],
        likelyEsp: DARWIN_ESP.test(entry.name),
      });
    }
  } catch {
    return [];
  }
  return ports;
}
