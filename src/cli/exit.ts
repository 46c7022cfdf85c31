/** Typed CLI failures, mapped to exit codes in one place (src/cli/main.ts). */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends ExitError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The target could not be reached at all: exit 3. Device errors after contact are data, not this. */
export class UnreachableError extends ExitError {
  constructor(message: string) {
    super(message, 3);
    this.name = 'UnreachableError';
  }
}

/** A verification found tampering or a broken chain: exit 4. */
export class IntegrityError extends ExitError {
  constructor(message: string) {
    super(message, 4);
    this.name = 'IntegrityError';
  }
}
