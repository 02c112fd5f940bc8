import type { Conversation } from "./chat-store.ts";

/** A group's members, those in it now first and marked, the rest after. */
export function MemberList({ conversation }: { readonly conversation: Conversation }) {
  const online = conversation.online.value;
  const away = conversation.members.value.filter((m) => !online.includes(m));
  return (
    <aside aria-label="Members" class="members">
      <h3>
        Members <span class="count">{online.length} online</span>
      </h3>
      <ul>
        {online.map((m) => (
          <li key={m} class="online">
            <span aria-hidden="true">● </span>
            {m}
            <span class="visually-hidden"> (online)</span>
          </li>
        ))}
        {away.map((m) => (
          <li key={m} class="away">
            {m}
          </li>
        ))}
      </ul>
    </aside>
  );
}
