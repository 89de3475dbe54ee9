// `npm start`: install what is missing, build, and serve the playground on localhost.
import { spawn } from "node:child_process";
import { build, ensureDeps, root } from "./ensure.mjs";

ensureDeps();
build();
const server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: root, stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
