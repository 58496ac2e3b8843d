/** Where a command writes, and what stops it; the tests pass their own streams. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on Ctrl-C: a running stage stops, keeps what is cached, and publishes nothing more. */
  readonly signal?: AbortSignal;
}
