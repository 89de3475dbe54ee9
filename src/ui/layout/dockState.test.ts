import { describe, expect, it } from "vitest";
import { activePanel, DOCK_VERSION, EMPTY_DOCK, parseDock, savedSizes, serializeDock, setCollapsed, setGroupSizes, showPanel } from "./dockState";
import { panelsIn, type PanelSpec } from "./registry";

const PANELS: PanelSpec[] = [
  { id: "library", title: "Examples", area: "left" },
  { id: "component", title: "Component", area: "centre" },
  { id: "write", title: "Write", area: "centre" },
  { id: "network", title: "Network", area: "centre" },
  { id: "console", title: "Console", area: "right" },
  { id: "timeline", title: "Timeline", area: "bottom" },
];

describe("panelsIn", () => {
  it("keeps the listed order", () => {
    expect(panelsIn(PANELS, "centre").map((p) => p.id)).toEqual(["component", "write", "network"]);
    expect(panelsIn(PANELS, "right").map((p) => p.id)).toEqual(["console"]);
  });
});

describe("activePanel", () => {
  it("is the area's first panel until another is shown", () => {
    expect(activePanel(EMPTY_DOCK, PANELS, "centre")).toBe("component");
    expect(activePanel(showPanel(EMPTY_DOCK, PANELS, "network"), PANELS, "centre")).toBe("network");
  });

  it("is null for an area without panels", () => {
    expect(activePanel(EMPTY_DOCK, PANELS.filter((p) => p.area !== "bottom"), "bottom")).toBeNull();
  });
});

describe("showPanel", () => {
  it("selects the tab in its own area only, and unfolds that area", () => {
    const folded = setCollapsed(EMPTY_DOCK, "bottom", true);
    const s = showPanel(showPanel(folded, PANELS, "write"), PANELS, "timeline");
    expect(s.active).toEqual({ centre: "write", bottom: "timeline" });
    expect(s.collapsed.bottom).toBe(false);
  });

  it("returns the same state when nothing changes, and ignores unknown panels", () => {
    const s = showPanel(EMPTY_DOCK, PANELS, "write");
    expect(showPanel(s, PANELS, "write")).toBe(s);
    expect(showPanel(s, PANELS, "composition")).toBe(s);
  });
});

describe("setGroupSizes", () => {
  it("keeps percentages that add up to 100", () => {
    const s = setGroupSizes(EMPTY_DOCK, "columns", { left: 20, centre: 50.25, right: 29.75 });
    expect(s.sizes.columns).toEqual({ left: 20, centre: 50.25, right: 29.75 });
  });

  it("ignores layouts that are not percentages of the whole", () => {
    expect(setGroupSizes(EMPTY_DOCK, "columns", { left: 20, right: 20 })).toBe(EMPTY_DOCK);
    expect(setGroupSizes(EMPTY_DOCK, "columns", { left: -5, right: 105 })).toBe(EMPTY_DOCK);
    expect(setGroupSizes(EMPTY_DOCK, "columns", { left: Number.NaN, right: 100 })).toBe(EMPTY_DOCK);
    expect(setGroupSizes(EMPTY_DOCK, "columns", {})).toBe(EMPTY_DOCK);
  });
});

describe("savedSizes", () => {
  it("gives a group's sizes back only for the same panels", () => {
    const s = setGroupSizes(EMPTY_DOCK, "right", { run: 40, output: 60 });
    expect(savedSizes(s, "right", ["run", "output"])).toEqual({ run: 40, output: 60 });
    expect(savedSizes(s, "right", ["output", "run"])).toEqual({ run: 40, output: 60 });
    expect(savedSizes(s, "right", ["run", "output", "http"])).toBeUndefined();
    expect(savedSizes(s, "right", ["run", "http"])).toBeUndefined();
    expect(savedSizes(s, "rows", ["main", "bottom"])).toBeUndefined();
  });
});

describe("setCollapsed", () => {
  it("folds and unfolds an area, returning the same state when nothing changes", () => {
    const s = setCollapsed(EMPTY_DOCK, "bottom", true);
    expect(s.collapsed.bottom).toBe(true);
    expect(setCollapsed(s, "bottom", true)).toBe(s);
    expect(setCollapsed(EMPTY_DOCK, "bottom", false)).toBe(EMPTY_DOCK);
    expect(setCollapsed(s, "bottom", false).collapsed.bottom).toBe(false);
  });
});

describe("parseDock and serializeDock", () => {
  it("round-trips a state", () => {
    let s = showPanel(EMPTY_DOCK, PANELS, "network");
    s = setGroupSizes(s, "rows", { main: 70, bottom: 30 });
    s = setCollapsed(s, "bottom", true);
    expect(parseDock(serializeDock(s), PANELS)).toEqual({ active: { centre: "network" }, sizes: { rows: { main: 70, bottom: 30 } }, collapsed: { bottom: true } });
  });

  it("starts empty from nothing, bad JSON, or another version", () => {
    expect(parseDock(null, PANELS)).toEqual(EMPTY_DOCK);
    expect(parseDock("{not json", PANELS)).toEqual(EMPTY_DOCK);
    expect(parseDock(JSON.stringify({ version: DOCK_VERSION + 1, active: { centre: "write" } }), PANELS)).toEqual(EMPTY_DOCK);
    expect(parseDock("[]", PANELS)).toEqual(EMPTY_DOCK);
  });

  it("drops what no longer fits: a panel that is gone or moved, broken sizes, odd flags", () => {
    const saved = JSON.stringify({
      version: DOCK_VERSION,
      active: { centre: "composition", right: "write", bottom: "timeline" },
      sizes: { rows: { main: 70, bottom: 30 }, columns: { left: "wide" }, right: { run: 80, console: 80 } },
      collapsed: { bottom: "yes", left: true },
    });
    expect(parseDock(saved, PANELS)).toEqual({ active: { bottom: "timeline" }, sizes: { rows: { main: 70, bottom: 30 } }, collapsed: { left: true } });
  });
});
