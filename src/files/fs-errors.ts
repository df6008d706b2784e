// What a failed file system call says, for messages: its errno code, and its reason without the
// paths Node repeats. Shared by the cache, its locks and the credentials file writer.

export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** `EACCES: permission denied`: the code and reason, without the paths Node repeats. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/,\s*\w+\s+'[^']*'(?:\s*->\s*'[^']*')?$/, '');
}
