/**
 * The timeline canvas's colours for each page theme. A canvas cannot read CSS, so the panel is
 * handed the palette of the theme in force (`PALETTES[theme]`) and redraws when it changes. Span
 * and marker colours keep their hue in both themes, so a trace reads the same in either.
 */
import type { Marker, Span } from "./layout";

export interface TimelinePalette {
  background: string;
  /** The label column on the left, and the line that ends it and the axis. */
  labels: string;
  rule: string;
  axis: string;
  grid: string;
  axisText: string;
  lane: string;
  laneLabel: string;
  laneLabelText: string;
  barLabel: string;
  trackLabel: string;
  message: string;
  /** Text written on a span. */
  onSpan: string;
  spans: Record<Span["kind"], string>;
  /** The part of a wait after the task was woken: scheduled, waiting for its turn to run. */
  scheduled: string;
  markers: Record<Marker["kind"], string>;
  /** A failed task, a call that threw, the line where dropped events end. */
  failure: string;
  arrow: string;
  arrowLabel: string;
  /** A call from a subtask to the task it started (dashed). */
  callArrow: string;
  related: string;
  selected: string;
  hovered: string;
}

export const LIGHT_TIMELINE: TimelinePalette = {
  background: "#ffffff",
  labels: "#f7f7f9",
  rule: "#d0d0d8",
  axis: "#fafafc",
  grid: "#ececf2",
  axisText: "#555555",
  lane: "#eef1f8",
  laneLabel: "#e3e8f4",
  laneLabelText: "#1b2a4a",
  barLabel: "#222222",
  trackLabel: "#888888",
  message: "#6b7380",
  onSpan: "#ffffff",
  spans: { task: "#3b6fd8", subtask: "#8e44ad", host: "#138d75", wait: "rgba(20, 20, 30, 0.45)", backpressure: "rgba(231, 76, 60, 0.16)" },
  scheduled: "#f1c40f",
  markers: { "task.return": "#1e8449", "task.cancel": "#c0392b", yield: "#7f8c8d", stream: "#d35400", future: "#af601a", drop: "#2c3e50" },
  failure: "#c0392b",
  arrow: "rgba(211, 84, 0, 0.85)",
  arrowLabel: "#7a3300",
  callArrow: "#8e44ad",
  related: "#f39c12",
  selected: "#000000",
  hovered: "rgba(0, 0, 0, 0.6)",
};

export const DARK_TIMELINE: TimelinePalette = {
  background: "#14181e",
  labels: "#1b2027",
  rule: "#39414d",
  axis: "#191e25",
  grid: "#262c35",
  axisText: "#a6aebb",
  lane: "#1d2430",
  laneLabel: "#243049",
  laneLabelText: "#c9d6f2",
  barLabel: "#dde3ec",
  trackLabel: "#8a93a1",
  message: "#98a1b0",
  onSpan: "#ffffff",
  spans: { task: "#3b6fd8", subtask: "#9b59b6", host: "#138d75", wait: "rgba(220, 225, 235, 0.35)", backpressure: "rgba(231, 76, 60, 0.24)" },
  scheduled: "#f1c40f",
  markers: { "task.return": "#2ecc71", "task.cancel": "#e74c3c", yield: "#95a5a6", stream: "#e67e22", future: "#d4883a", drop: "#aab7c4" },
  failure: "#e74c3c",
  arrow: "rgba(230, 126, 34, 0.9)",
  arrowLabel: "#f0a35e",
  callArrow: "#c39bd3",
  related: "#f39c12",
  selected: "#ffffff",
  hovered: "rgba(255, 255, 255, 0.6)",
};

export const TIMELINE_PALETTES: Record<"light" | "dark", TimelinePalette> = { light: LIGHT_TIMELINE, dark: DARK_TIMELINE };
