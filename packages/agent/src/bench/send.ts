/** Sends pre-encoded bodies with N concurrent keep-alive senders, retrying 429/503 after Retry-After. */
export async function sendAll(url: string, bodies: Buffer[], headers: Record<string, string>, concurrency = 4, batchIdPrefix?: string): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= bodies.length) return;
      for (let attempt = 0; ; attempt++) {
        const h = batchIdPrefix ? { ...headers, 'x-jobscope-batch-id': `${batchIdPrefix}-${i}` } : headers;
        const r = await fetch(url, { method: 'POST', headers: h, body: bodies[i] });
        await r.arrayBuffer();
        if (r.ok) break;
        if ((r.status === 429 || r.status === 503) && attempt < 1000) {
          await new Promise((res) => setTimeout(res, Math.min(1000, Number(r.headers.get('retry-after') ?? '0.1') * 1000)));
          continue;
        }
        throw new Error(`POST ${url} → ${r.status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
