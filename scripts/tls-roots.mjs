// Writes public/tls-roots.pem: the root certificates the page's https trusts (src/host/http/tls.ts
// fetches it on a run's first https request). They are Mozilla's CA list as this Node ships it
// (`tls.rootCertificates`), so a newer Node brings a newer list. build-examples.mjs calls this.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { fileURLToPath } from "node:url";

export function writeTlsRoots(publicDir) {
  const path = join(publicDir, "tls-roots.pem");
  writeFileSync(path, `${rootCertificates.join("\n")}\n`);
  return { path, count: rootCertificates.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, count } = writeTlsRoots(fileURLToPath(new URL("../public", import.meta.url)));
  console.log(`tls-roots: ${count} root certificates → ${path}`);
}
