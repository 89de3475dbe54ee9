import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";
import { SUITE } from "../../../component/wast/suite.fixture";
import { failures, nodeHost as host } from "./node-host.fixture";
import { runScript } from "./run";
const names = (process.env.SCR ?? "binary/binary.wast").split(",");
it.each(names)("%s", async (name) => {
  const r = await runScript(readFileSync(join(SUITE, name), "utf8"), host, { name });
  console.log(name, r.error, JSON.stringify(failures(r), null, 1).slice(0, 3000));
}, 60000);
