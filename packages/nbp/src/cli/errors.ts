import { PxeError } from "@pxe/core";

/** Thrown when an NBP image cannot be built (missing tools, compile errors, size limits). */
export class NbpBuildError extends PxeError {
  constructor(message: string) {
    super("NBP_BUILD", message);
  }
}
