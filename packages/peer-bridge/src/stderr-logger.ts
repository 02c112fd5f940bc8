import { formatLogLine, type Logger } from "@realmchat/protocol";

export function createStderrLogger(scope: string): Logger {
  return {
    info: (message, fields) => process.stderr.write(formatLogLine("info", scope, message, fields)),
    warn: (message, fields) => process.stderr.write(formatLogLine("warn", scope, message, fields)),
    error: (message, fields) => process.stderr.write(formatLogLine("error", scope, message, fields)),
  };
}
