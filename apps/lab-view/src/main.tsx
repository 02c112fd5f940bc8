import { signal } from "@preact/signals";
import { render } from "preact";
import { FrameDetail } from "./frame-detail.tsx";
import { FramesTable } from "./frames-table.tsx";
import { LabActions } from "./lab-actions.tsx";
import { connectLab, FRAME_MS, LabModel } from "./lab-model.ts";
import { PlaybackControls } from "./playback-controls.tsx";
import { SequenceView } from "./sequence-view.tsx";
import { TopologyView } from "./topology-view.tsx";

const model = new LabModel();
const motion = matchMedia("(prefers-reduced-motion: reduce)");
const reducedMotion = signal(motion.matches);
motion.addEventListener("change", (e) => (reducedMotion.value = e.matches));

// The player: one frame each FRAME_MS at 1×, read again each time so a new speed applies at once.
const tick = (): void => {
  if (model.playing.value) model.step();
  setTimeout(tick, FRAME_MS / model.speed.value);
};

function LabPage() {
  return (
    <>
      <header>
        <h1>realmchat lab</h1>
        <span class={`connection ${model.connected.value ? "up" : "down"}`}>{model.connected.value ? "connected" : "connecting…"}</span>
      </header>
      <LabActions model={model} />
      <main>
        <div class="drawing">
          <TopologyView model={model} reducedMotion={reducedMotion.value} />
          <PlaybackControls model={model} />
          <SequenceView model={model} />
        </div>
        <aside>
          <FrameDetail model={model} />
          <FramesTable model={model} />
        </aside>
      </main>
    </>
  );
}

render(<LabPage />, document.getElementById("app") as HTMLElement);
connectLab(model, `ws://${location.host}/events`);
tick();
