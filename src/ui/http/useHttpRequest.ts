/**
 * The request panel's state: the draft, the last response as it streams in (status and headers at
 * the head, the body chunk by chunk, the timings), and `send`. A newer send supersedes the one
 * going on: what the older one still receives is dropped.
 *
 * ```tsx
 * const http = useHttpRequest(previews, serving.previewId);
 * <button onClick={http.send}>Send</button> <pre>{http.response?.body.text}</pre>
 * ```
 */
import { useCallback, useRef, useState } from "react";
import type { PreviewClient } from "../../client/PreviewClient";
import { StreamedBody } from "./body";
import { checkRequest, EMPTY_DRAFT, type RequestDraft } from "./request";
import { summarize, type TimingSummary } from "./timings";

export interface ShownResponse {
  /** The request line it answers (`GET /stream?n=3`). */
  request: string;
  status: number | null;
  headers: Array<[string, string]>;
  body: StreamedBody;
  timings: TimingSummary | null;
  /** The request failed before any response (the network, the Service Worker). */
  error: string | null;
}

export function useHttpRequest(previews: PreviewClient, previewId: string | null) {
  const [draft, setDraft] = useState<RequestDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<string[]>([]);
  const [response, setResponse] = useState<ShownResponse | null>(null);
  const [sending, setSending] = useState(false);
  const latest = useRef(0);

  const send = useCallback(async () => {
    if (!previewId) return;
    const checked = checkRequest(draft);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors([]);
    const id = ++latest.current;
    const live = () => latest.current === id;
    const body = new StreamedBody();
    const shown: ShownResponse = { request: `${checked.request.method} ${checked.request.path}`, status: null, headers: [], body, timings: null, error: null };
    setResponse(shown);
    setSending(true);
    try {
      await previews.send(previewId, checked.request, (t, p) => {
        if (!live()) return;
        if (p.chunk) body.append(p.chunk);
        if (t.endMs !== null) body.end();
        setResponse({ ...shown, status: p.status, headers: p.headers, timings: summarize(t) });
      });
    } catch (err) {
      if (live()) setResponse({ ...shown, error: err instanceof Error ? err.message : String(err) });
    }
    if (live()) setSending(false);
  }, [draft, previewId, previews]);

  return { draft, setDraft, errors, response, sending, send };
}
