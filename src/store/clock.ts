/** Every time the store records: UTC, ISO 8601 with milliseconds, so rows sort and compare as text. */
export const now = (): string => new Date().toISOString();
