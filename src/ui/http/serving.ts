/** A served run as the HTTP panel knows it, and the console's line when it starts serving. */

export interface Serving {
  component: string;
  /** The exported function requests reach (`wasi:http/handler@0.3.0#handle`). */
  handler: string;
  /** Where other components reach it on the playground's network (`localhost:8080`). */
  listen: string | null;
  /** Its preview URL (`/preview/<id>/`); null where the browser has no Service Worker. */
  preview: string | null;
  /** The run id in that URL, for the request panel. */
  previewId: string | null;
}

/** The console's line once `s` serves; `ends` says how it is stopped. */
export function servingLine(s: Serving, ends = "The HTTP tab sends it requests; Stop ends it."): string {
  const where = [s.preview ? `the page at ${s.preview}` : null, s.listen ? `components at http://${s.listen}/` : null].filter(Boolean).join(", ");
  return `serving ${s.handler}${where ? `: ${where}` : ""}. ${ends}\n`;
}
