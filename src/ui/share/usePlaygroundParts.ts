/**
 * The playground's seams for a project (parts.tsx): the loaded component, the run panel's inputs,
 * the folders runs get, the engine, the network allow-list, the run gate, and (in the full page)
 * the dock's layout. The authoring workspace registers itself (wit-editor/useAuthoring).
 */
import { useMemo } from "react";
import type { Playground } from "../app/usePlayground";
import { useDock } from "../layout/DockContext";
import { useNetwork } from "../network/NetworkContext";
import { useProjectPart } from "./parts";

export function usePlaygroundParts(pg: Playground): void {
  const network = useNetwork();
  const name = pg.component?.name;
  const bytes = pg.component?.bytes;
  const component = useMemo(() => (name !== undefined && bytes ? { name, bytes } : null), [name, bytes]);
  useProjectPart("component", component, (c) => (c ? pg.load(c.name, c.bytes) : pg.unload()));
  useProjectPart("inputs", pg.inputs, pg.setInputs);
  useProjectPart("preopens", pg.preopens, pg.setPreopens);
  useProjectPart("engine", pg.engine, pg.setEngine);
  useProjectPart("allow", network.allow, (entries) => network.setAllowText(entries.join("\n")));
  useProjectPart("hold", pg.hold, pg.setHold);
}

/** The dock's layout as a seam (the embed has no dock). */
export function useLayoutPart(): void {
  const dock = useDock();
  useProjectPart("layout", dock.state, dock.replace);
}
