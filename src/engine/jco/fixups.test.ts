import { describe, expect, it } from "vitest";
import { fixOwnedResultTables } from "./fixups";

const snippet = (tableIdx: number, table: number) => `
        [ 'ok', _lowerFlatOwn({
          componentIdx: 3,
          tableIdx: ${tableIdx},
          lowerFn:
          function lowerImportedOwnedHost_Descriptor(obj) {
            if (!(obj instanceof Descriptor)) {
              throw new TypeError('Resource error');
            }
            let handle = obj[symbolRscHandle];
            if (!handle) {
              const rep = obj[symbolRscRep] || ++captureCnt7;
              captureTable7.set(rep, obj);
              handle = rscTableCreateOwn(handleTable${table}, rep);
            }
            return handle;
          }
        })]`;

describe("fixOwnedResultTables", () => {
  it("points the owned-result lowering at the table it names", () => {
    const { js, fixed } = fixOwnedResultTables(snippet(15, 7));
    expect(fixed).toBe(1);
    expect(js).toContain("rscTableCreateOwn(handleTable15, rep)");
    expect(js).not.toContain("handleTable7,");
  });
  it("leaves correct output (tables numbered from 0) unchanged", () => {
    const src = snippet(3, 3) + snippet(0, 0);
    expect(fixOwnedResultTables(src)).toEqual({ js: src, fixed: 0 });
  });
});
