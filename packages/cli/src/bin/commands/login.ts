import { InvalidArgumentError, type Command } from "commander";
import { clientConfigDir } from "../../client-profile.ts";
import { loginOnce } from "../../one-shot.ts";
import { formatServerAddress } from "../../server-address.ts";
import { TokenCache } from "../../token-cache.ts";
import { addConnectionFlags, passwordOf, profileOf, serverOf, type ConnectionFlags } from "../credentials-options.ts";

export function registerLogin(program: Command): void {
  addConnectionFlags(program.command("login"))
    .description("log in and print a token for REALMCHAT_TOKEN (kept for the next start if the profile has rememberToken)")
    .action(async (flags: ConnectionFlags) => {
      const profile = await profileOf(flags);
      const user = flags.user ?? profile.user;
      if (user === undefined)
        throw new InvalidArgumentError("login needs --user, or a user in the profile (the password is asked for on a terminal)");
      const address = serverOf(flags, profile);
      const token = await loginOnce(address, user, await passwordOf(user, flags));
      if (profile.rememberToken) await new TokenCache(clientConfigDir()).set(TokenCache.keyOf(user, formatServerAddress(address)), token);
      process.stdout.write(token + "\n");
    });
}
