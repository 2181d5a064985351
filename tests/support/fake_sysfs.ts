/**
 * A fake Linux machine for port discovery tests: a sysfs tree and a `/dev` shaped like real
 * ones (kernel class links, USB device attributes, drivers, udev's stable names), built in a
 * temporary directory. Used by `lib/transport/serial/list_test.ts` and the CLI's `ports` tests.
 *
 * @module
 */

/**
 * Writes `files` (path -> content) and `links` (path -> relative target) under `root`.
 *
 * @param root the directory to build in
 * @param files regular files and their contents, by path relative to `root`
 * @param links symbolic links and their targets, by path relative to `root`
 */
export async function tree(
  root: string,
  files: Record<string, string>,
  links: Record<string, string>,
): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(`${root}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeTextFile(`${root}/${path}`, content);
  }
  for (const [path, target] of Object.entries(links)) {
    await Deno.mkdir(`${root}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
    await Deno.symlink(target, `${root}/${path}`);
  }
}

/**
 * A fake sysfs shaped like a real one: a CP2102 on ttyUSB0 (usb-serial), a CH9102 on ttyACM0
 * (cdc_acm), an FTDI-less unknown USB ACM device on ttyACM1, a phantom platform ttyS1, a real
 * 16550 ttyS0 behind kernel 6.5 serial-base devices, a virtual tty0 and ptmx. The `/dev`
 * nodes are empty files; by-id and by-path links exist for ttyUSB0 and by-path for ttyACM0.
 *
 * @param root the directory to build in (give it resolved: `Deno.realPath`)
 * @returns the fake sysfs and `/dev` roots
 */
export async function fakeMachine(root: string): Promise<{ sys: string; dev: string }> {
  const sys = `${root}/sys`, dev = `${root}/dev`;
  const usb1 = "sys/devices/pci0000:00/0000:00:14.0/usb1/1-1";
  const usb2 = "sys/devices/pci0000:00/0000:00:14.0/usb1/1-2";
  const usb3 = "sys/devices/pci0000:00/0000:00:14.0/usb1/1-3";
  await tree(root, {
    [`${usb1}/idVendor`]: "10c4\n",
    [`${usb1}/idProduct`]: "ea60\n",
    [`${usb1}/manufacturer`]: "Silicon Labs\n",
    [`${usb1}/product`]: "CP2102 USB to UART Bridge Controller\n",
    [`${usb1}/serial`]: "0001\n",
    [`${usb1}/1-1:1.0/bInterfaceNumber`]: "00\n",
    [`${usb1}/1-1:1.0/ttyUSB0/tty/ttyUSB0/dev`]: "188:0\n",
    [`${usb2}/idVendor`]: "1a86\n",
    [`${usb2}/idProduct`]: "55d4\n",
    [`${usb2}/product`]: "USB Single Serial\n",
    [`${usb2}/1-2:1.0/tty/ttyACM0/dev`]: "166:0\n",
    [`${usb3}/idVendor`]: "2e8a\n",
    [`${usb3}/idProduct`]: "000a\n",
    [`${usb3}/1-3:1.0/tty/ttyACM1/dev`]: "166:1\n",
    "sys/devices/platform/serial8250/serial8250:0/serial8250:0.1/tty/ttyS1/dev": "4:65\n",
    "sys/devices/pnp0/00:00/00:00:0/00:00:0.0/tty/ttyS0/dev": "4:64\n",
    "sys/devices/virtual/tty/tty0/dev": "4:0\n",
    "sys/devices/virtual/tty/ptmx/dev": "5:2\n",
    "sys/bus/usb-serial/drivers/cp210x/.keep": "",
    "sys/bus/usb/drivers/cdc_acm/.keep": "",
    "sys/bus/platform/drivers/serial8250/.keep": "",
    "sys/bus/serial-base/drivers/port/.keep": "",
    "sys/bus/pnp/drivers/serial/.keep": "",
    "dev/ttyUSB0": "",
    "dev/ttyACM0": "",
    "dev/ttyACM1": "",
    "dev/ttyS0": "",
    "dev/ttyS1": "",
    "dev/tty0": "",
  }, {
    // class links, as the kernel makes them
    "sys/class/tty/ttyUSB0":
      `../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0`,
    "sys/class/tty/ttyACM0": `../../devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/tty/ttyACM0`,
    "sys/class/tty/ttyACM1": `../../devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/tty/ttyACM1`,
    "sys/class/tty/ttyS1":
      "../../devices/platform/serial8250/serial8250:0/serial8250:0.1/tty/ttyS1",
    "sys/class/tty/ttyS0": "../../devices/pnp0/00:00/00:00:0/00:00:0.0/tty/ttyS0",
    "sys/class/tty/tty0": "../../devices/virtual/tty/tty0",
    "sys/class/tty/ptmx": "../../devices/virtual/tty/ptmx",
    // device links from each tty to its parent device
    [`${usb1}/1-1:1.0/ttyUSB0/tty/ttyUSB0/device`]: "../../../ttyUSB0",
    [`${usb2}/1-2:1.0/tty/ttyACM0/device`]: "../../../1-2:1.0",
    [`${usb3}/1-3:1.0/tty/ttyACM1/device`]: "../../../1-3:1.0",
    "sys/devices/platform/serial8250/serial8250:0/serial8250:0.1/tty/ttyS1/device":
      "../../../serial8250:0.1",
    "sys/devices/pnp0/00:00/00:00:0/00:00:0.0/tty/ttyS0/device": "../../../00:00:0.0",
    // subsystems and drivers
    [`${usb1}/1-1:1.0/ttyUSB0/subsystem`]: "../../../../../../../bus/usb-serial",
    [`${usb1}/1-1:1.0/ttyUSB0/driver`]: "../../../../../../../bus/usb-serial/drivers/cp210x",
    [`${usb1}/1-1:1.0/subsystem`]: "../../../../../../bus/usb",
    [`${usb2}/1-2:1.0/subsystem`]: "../../../../../../bus/usb",
    [`${usb2}/1-2:1.0/driver`]: "../../../../../../bus/usb/drivers/cdc_acm",
    [`${usb3}/1-3:1.0/subsystem`]: "../../../../../../bus/usb",
    [`${usb3}/1-3:1.0/driver`]: "../../../../../../bus/usb/drivers/cdc_acm",
    "sys/devices/platform/serial8250/serial8250:0/serial8250:0.1/subsystem":
      "../../../../../bus/serial-base",
    "sys/devices/platform/serial8250/serial8250:0/subsystem": "../../../../bus/serial-base",
    "sys/devices/platform/serial8250/subsystem": "../../../bus/platform",
    "sys/devices/pnp0/00:00/00:00:0/00:00:0.0/subsystem": "../../../../../bus/serial-base",
    "sys/devices/pnp0/00:00/00:00:0/subsystem": "../../../../bus/serial-base",
    "sys/devices/pnp0/00:00/subsystem": "../../../bus/pnp",
    "sys/devices/pnp0/00:00/00:00:0/00:00:0.0/driver":
      "../../../../../bus/serial-base/drivers/port",
    "sys/devices/pnp0/00:00/driver": "../../../bus/pnp/drivers/serial",
    // udev's stable names
    "dev/serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0":
      "../../ttyUSB0",
    "dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0": "../../ttyUSB0",
    "dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0": "../../ttyACM0",
  });
  return { sys, dev };
}
