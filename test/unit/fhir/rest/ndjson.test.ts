// NDJSON (Bulk Data v2.0.0 "File Request") streamed line by line: lines and multi-byte
// characters cut across chunks, CRLF, blank lines, and lines that are not resources.
import { describe, expect, it } from 'vitest';
import { readLines, streamResources } from '../../../../src/fhir/rest/ndjson';

function streamOf(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += chunkSize) {
        controller.enqueue(bytes.slice(at, at + chunkSize));
      }
      controller.close();
    },
  });
}

describe('readLines', () => {
  it('rebuilds lines and UTF-8 characters split across chunks', async () => {
    const lines: string[] = [];
    await readLines(streamOf('Zoë Ngô\r\n\n  \nŁódź 東京\nlast', 3), (line) => lines.push(line));
    expect(lines).toEqual(['Zoë Ngô', 'Łódź 東京', 'last']);
  });
});

describe('streamResources', () => {
  it('hands resources on in batches as they arrive and counts malformed lines', async () => {
    const resources = Array.from({ length: 7 }, (_, i) => ({
      resourceType: 'Observation',
      id: `o${i}`,
      note: [{ text: 'ü'.repeat(i) }],
    }));
    const text = [
      ...resources.map((r) => JSON.stringify(r)),
      '{"not":"a resource"}',
      '{broken',
    ].join('\n');
    const batches: number[] = [];
    const ids: string[] = [];
    const tally = await streamResources(streamOf(text, 11), 3, (batch) => {
      batches.push(batch.length);
      ids.push(...batch.map((r) => r.id ?? ''));
    });
    expect(batches).toEqual([3, 3, 1]);
    expect(ids).toEqual(resources.map((r) => r.id));
    expect(tally).toEqual({ resources: 7, malformed: 2 });
  });

  it('passes the consumer error through and stops reading', async () => {
    const text = Array.from(
      { length: 10 },
      (_, i) => `{"resourceType":"Patient","id":"p${i}"}`,
    ).join('\n');
    let calls = 0;
    const failure = streamResources(streamOf(text, 5), 1, () => {
      calls++;
      if (calls === 2) throw new Error('consumer full');
    });
    await expect(failure).rejects.toMatchObject({ name: 'ConsumerError' });
    expect(calls).toBe(2);
  });
});
