/**
 * Repairs to jco's generated JS that we apply before loading it.
 *
 * jco 1.35.0, async host imports returning an owned resource (e.g. wasi:filesystem@0.3.0
 * `descriptor.open-at`): the result is lowered twice, once inline with the right handle table and
 * once by `_lowerFlatOwn({tableIdx: N, lowerFn})`, whose `lowerFn` creates the handle in the table
 * numbered after the resource instead of table N. In components whose tables do not start at 0
 * (componentize-qjs guests) the second write wins and the guest receives a handle to the wrong
 * resource. We point every such `lowerFn` at table N. (The first handle created for the same
 * resource stays in the table unused until the instance goes away.)
 */
const OWN_LOWER = /(tableIdx: (\d+),\s*lowerFn:\s*function lowerImportedOwnedHost_[\w$]*\(obj\) \{[\s\S]{0,600}?rscTableCreateOwn\(handleTable)(\d+)\b/g;

export function fixOwnedResultTables(js: string): { js: string; fixed: number } {
  let fixed = 0;
  const out = js.replace(OWN_LOWER, (_m, head: string, want: string, have: string) => {
    if (want !== have) fixed++;
    return head + want;
  });
  return { js: out, fixed };
}
