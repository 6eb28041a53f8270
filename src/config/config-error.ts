/**
 * A start that cannot go on, for a reason the operator can fix: the message names what is wrong
 * (the file, key or directory) and the fix. main.ts prints the message alone and exits 1; a stack
 * trace would only bury it.
 */
export class BootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Thrown at boot when the configuration is invalid; the message names every bad key. */
export class ConfigError extends BootError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
