// Streams an NDJSON body (Bulk Data v2.0.0 §"File Request": one resource per line) line by line,
// so a whole export file is never held as one string.

import { ConsumerError } from './fhir-http';

/**
 * Calls `onLine` for every non-blank line of `body`, decoding UTF-8 across chunk boundaries. Errors
 * thrown by `onLine` come out wrapped in `ConsumerError` and cancel the stream.
 */
export async function readLines(
  body: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  const deliver = (line: string) => {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() === '') return;
    try {
      onLine(trimmed);
    } catch (error) {
      throw error instanceof ConsumerError ? error : new ConsumerError(error);
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let start = 0;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
        deliver(pending.slice(start, end));
        start = end + 1;
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    deliver(pending);
  } catch (error) {
    // Not awaited: the cancel settles when the other end acknowledges it.
    reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}

export interface NdjsonTally {
  resources: number;
  /** Lines that were not a JSON object with a `resourceType`. */
  malformed: number;
}

/**
 * Parses each line as a FHIR resource and hands them to `emit` in batches of `batchSize`, so the
 * caller sees resources while the file is still arriving.
 */
export async function streamResources(
  body: ReadableStream<Uint8Array>,
  batchSize: number,
  emit: (resources: fhir4.FhirResource[]) => void,
): Promise<NdjsonTally> {
  const tally: NdjsonTally = { resources: 0, malformed: 0 };
  let batch: fhir4.FhirResource[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const full = batch;
    batch = [];
    try {
      emit(full);
    } catch (error) {
      throw error instanceof ConsumerError ? error : new ConsumerError(error);
    }
  };
  await readLines(body, (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line) as unknown;
    } catch {
      tally.malformed++;
      return;
    }
    if (!isResource(parsed)) {
      tally.malformed++;
      return;
    }
    batch.push(parsed);
    tally.resources++;
    if (batch.length >= batchSize) flush();
  });
  flush();
  return tally;
}

export function isResource(value: unknown): value is fhir4.FhirResource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string'
  );
}
