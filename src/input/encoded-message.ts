// Finds the encoded part of "Encoded authorization failure message: ..." in whatever the user
// pasted: the bare blob, or a whole error text (AWS CLI, SDK exceptions, console), possibly with the
// blob wrapped across lines by a terminal.
import { UsageError } from '../errors.ts';

const MARKER = /encoded authorization failure message:?\s*/i;
const BLOB_CHARS = /^[A-Za-z0-9+/=_-]+$/;
/** DecodeAuthorizationMessage's EncodedMessage is at most 10240 characters (STS API). */
const MAX_ENCODED_LENGTH = 10240;

export function extractEncodedMessage(input: string): string {
  const text = input.replace(/^\uFEFF/, '');
  const marker = MARKER.exec(text);
  const blob = marker ? blobAfter(text.slice(marker.index + marker[0].length)) : bareBlob(text);
  if (!blob) {
    throw new UsageError(
      marker ? 'found "Encoded authorization failure message:" but no encoded text after it' : 'that does not look like an encoded authorization message',
      { hint: 'pass the text after "Encoded authorization failure message:", the whole error text, file://path or - for stdin' },
    );
  }
  if (blob.length > MAX_ENCODED_LENGTH) {
    throw new UsageError(`the encoded message is ${blob.length} characters; STS accepts at most ${MAX_ENCODED_LENGTH}`, {
      hint: 'check that only one message was pasted',
    });
  }
  return blob;
}

/** The blob after the marker: the first token, joined with following lines that are pure blob (terminal wrapping). */
function blobAfter(rest: string): string | undefined {
  const lines = rest.split(/\r?\n/);
  const first = /^[A-Za-z0-9+/=_-]+/.exec(lines[0]?.trim() ?? '')?.[0];
  if (!first) return undefined;
  let blob = first;
  // Continue only if the first line held nothing but the blob (it was wrapped, not followed by prose).
  if (lines[0]?.trim() !== first) return blob;
  for (const line of lines.slice(1)) {
    const t = line.trim();
    if (t === '' || !BLOB_CHARS.test(t)) break;
    blob += t;
  }
  return blob;
}

/** A bare blob: one token, possibly wrapped across lines, but never words separated by spaces. */
function bareBlob(text: string): string | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (!lines.every((l) => BLOB_CHARS.test(l))) return undefined;
  const compact = lines.join('');
  return compact.length >= 16 ? compact : undefined;
}
