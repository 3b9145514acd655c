import type { LinkDriver } from "../link.js";
import { TracingLink } from "../sim/tracing-link.js";
import type { PcapWriter } from "./writer.js";

/**
 * Wraps a LinkDriver and writes every frame transmitted (that the inner
 * driver accepted) and every frame delivered by poll to a PcapWriter, in the
 * order the user saw them. Transmit times are the latest poll's `now`.
 */
export class PcapLink extends TracingLink {
  /** Wraps `inner`, writing to `writer`. */
  constructor(inner: LinkDriver, readonly writer: PcapWriter) {
    super(inner, (e) => {
      if (e.direction === "rx" || e.accepted) writer.write(e.time, e.frame);
    });
  }
}
