import { signal } from "@preact/signals";
import { act, type LabModel } from "./lab-model.ts";
import type { Language } from "./lab-event.ts";

const LANGUAGES: readonly { readonly id: Language; readonly name: string }[] = [
  { id: "en", name: "English" },
  { id: "id", name: "Bahasa Indonesia" },
];

/** What the last request to the lab server came to, when it was refused. */
const refusal = signal("");

async function ask(kind: "scenario" | "fault", id: string): Promise<void> {
  const status = await act(kind, id);
  refusal.value = status === 202 ? "" : status === 409 ? "A scenario is still running: wait for it to finish." : `Refused (${status}).`;
}

const run = (kind: "scenario" | "fault", id: string) => () => {
  ask(kind, id).catch((err: unknown) => (refusal.value = `The lab server did not answer: ${String(err)}`));
};

/** The guided scenarios, their captions in the chosen language, and the faults. */
export function LabActions({ model }: { readonly model: LabModel }) {
  const language = model.language.value;
  const scenario = model.state.value.scenario;
  const title = model.scenarios.value.find((s) => s.id === scenario?.id)?.title?.[language];
  const busy = scenario?.status === "running";
  const caption =
    scenario === undefined
      ? language === "en"
        ? "Pick a scenario: each runs the real servers, step by step."
        : "Pilih skenario: masing-masing menjalankan server sungguhan, langkah demi langkah."
      : `${title ?? scenario.id}${scenario.caption === undefined ? "" : ` — ${scenario.step + 1}. ${scenario.caption[language]}`}` +
        (scenario.status === "done" ? (language === "en" ? " (done)" : " (selesai)") : "") +
        (scenario.status === "failed" ? ` (${language === "en" ? "failed" : "gagal"}: ${scenario.error ?? ""})` : "");
  return (
    <div class="actions">
      <div class="languages" role="group" aria-label="Language">
        {LANGUAGES.map((l) => (
          <button key={l.id} type="button" aria-pressed={language === l.id} onClick={() => (model.language.value = l.id)}>
            {l.name}
          </button>
        ))}
      </div>
      <nav aria-label="Scenarios">
        {model.scenarios.value.map((s) => (
          <button key={s.id} type="button" disabled={busy} onClick={run("scenario", s.id)}>
            {s.title?.[language] ?? s.id}
          </button>
        ))}
      </nav>
      <p role="status" aria-label="Caption" class={`caption ${scenario?.status ?? ""}`}>
        {caption}
      </p>
      <section aria-label="Faults" class="faults">
        {model.faults.value.map((f) => (
          <button key={f.id} type="button" disabled={busy} onClick={run("fault", f.id)}>
            {f.label?.[language] ?? f.id}
          </button>
        ))}
      </section>
      {refusal.value === "" ? null : (
        <p role="alert" class="refusal">
          {refusal.value}
        </p>
      )}
    </div>
  );
}
