import type { LinkDriver } from "../link.js";
import type { SimPxeFirmware } from "./firmware.js";

/**
 * Plugs a simulated firmware's NIC into a link: frames the firmware
 * transmits go out through `nic` (for instance one end of a SimLink), and
 * poll(now) moves the frames `nic` receives into the firmware's receive
 * queue, where UndiLink picks them up through PXENV_UNDI_ISR. `nic` is
 * opened promiscuous: the firmware applies its own filter.
 */
export class FirmwareWire {
  /** Frames the firmware's filter or queue refused. */
  refused = 0;

  /** Connects `firmware` to `nic`. */
  constructor(readonly firmware: SimPxeFirmware, readonly nic: LinkDriver) {
    nic.open({ promiscuous: true });
    firmware.onTransmit = (frame) => void nic.transmit(frame);
  }

  /** Delivers what reached the NIC by `now` to the firmware. Returns how many frames moved. */
  poll(now: number): number {
    return this.nic.poll(now, (f) => {
      if (!this.firmware.inject(f)) this.refused++;
    });
  }
}
