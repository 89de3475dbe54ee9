import { describe, expect, it } from "vitest";
import { worldImports } from "./inspect";

describe("worldImports", () => {
  it("lists interface and function imports of the world", () => {
    const wit = `package root:component;

world root {
  import wasi:cli/stdout@0.3.0;
  import wasi:io/poll@0.2.4;
  import log: func(msg: string);
  export wasi:cli/run@0.3.0;
}
`;
    expect(worldImports(wit)).toEqual(["wasi:cli/stdout@0.3.0", "wasi:io/poll@0.2.4", "log"]);
  });
});
