import type { InboxEntry } from "@realmchat/protocol";
import { ClassicClient } from "./classic-client.ts";
import { ClientStateError } from "./errors.ts";
import type { ServerAddress } from "./server-address.ts";

/** How a one-shot command logs in: a token from `login`, or a user and password. */
export type Credentials =
  { readonly kind: "token"; readonly token: string } | { readonly kind: "password"; readonly user: string; readonly password: string };

async function connected(address: ServerAddress, credentials: Credentials): Promise<ClassicClient> {
  const client = await ClassicClient.connect(address);
  try {
    if (credentials.kind === "token") client.token = credentials.token;
    else await client.auth(credentials.user, credentials.password);
    return client;
  } catch (err) {
    await client.close();
    throw err;
  }
}

export async function loginOnce(address: ServerAddress, user: string, password: string): Promise<string> {
  await using client = await ClassicClient.connect(address);
  return await client.auth(user, password);
}

export async function sendOnce(address: ServerAddress, credentials: Credentials, to: string, text: string) {
  if (text.trim().length === 0) throw new ClientStateError("message text is empty");
  await using client = await connected(address, credentials);
  return await client.send(to, text);
}

export async function inboxOnce(address: ServerAddress, credentials: Credentials): Promise<InboxEntry[]> {
  await using client = await connected(address, credentials);
  return await client.inbox();
}
