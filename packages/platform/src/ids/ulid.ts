import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ulid's default PRNG asks the OS for randomness once per character (16 calls per id), and ids are minted several
// times per write (aggregate, timeline, event): draw the same CSPRNG bytes from a buffer refilled 4 KiB at a time.
const buffer = Buffer.alloc(4096);
let offset = buffer.length;
function prng(): number {
  if (offset >= buffer.length) {
    randomFillSync(buffer);
    offset = 0;
  }
  return (buffer[offset++] as number) / 256;
}

/** A ULID, monotonic within this process: ids minted in one millisecond still sort in creation order. */
export const ulid: () => string = monotonicFactory(prng);
