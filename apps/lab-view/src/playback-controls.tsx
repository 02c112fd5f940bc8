import { SPEEDS, type LabModel } from "./lab-model.ts";
import { traceAsJsonLines, traceAsMermaid } from "./trace-export.ts";

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Play, pause, step, speed, the scrubber, the filters and the exports. */
export function PlaybackControls({ model }: { readonly model: LabModel }) {
  const shown = model.shown.value;
  const played = model.played.value.length;
  return (
    <div class="controls" role="toolbar" aria-label="Playback">
      <button type="button" onClick={() => (model.playing.value = !model.playing.value)}>
        {model.playing.value ? "Pause" : "Play"}
      </button>
      <button type="button" onClick={() => model.step()} disabled={played >= shown.length}>
        Step
      </button>
      <label>
        Speed{" "}
        <select value={String(model.speed.value)} onChange={(e) => (model.speed.value = Number(e.currentTarget.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <input
        type="range"
        aria-label="Position"
        min={0}
        max={shown.length}
        value={played}
        onInput={(e) => model.seek(Number(e.currentTarget.value))}
      />
      <span class="position" aria-live="off">
        {played} / {shown.length}
      </span>
      <button type="button" onClick={() => model.seek(shown.length)}>
        Live
      </button>
      <label>
        <input
          type="checkbox"
          checked={model.hideHeartbeats.value}
          onChange={(e) => (model.hideHeartbeats.value = e.currentTarget.checked)}
        />
        Hide heartbeats
      </label>
      <label>
        <input type="checkbox" checked={model.hidePresence.value} onChange={(e) => (model.hidePresence.value = e.currentTarget.checked)} />
        Hide presence
      </label>
      <label>
        <input
          type="checkbox"
          checked={model.followConversation.value}
          disabled={model.selected.value === undefined}
          onChange={(e) => (model.followConversation.value = e.currentTarget.checked)}
        />
        Follow this conversation
      </label>
      <button type="button" onClick={() => download("realmchat-trace.jsonl", "application/x-ndjson", traceAsJsonLines(model.events.value))}>
        Export JSON lines
      </button>
      <button type="button" onClick={() => download("realmchat-trace.mmd", "text/plain", traceAsMermaid(model.shown.value))}>
        Export Mermaid
      </button>
    </div>
  );
}
