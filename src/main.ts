import { startApp } from './app';
import { ConfigError, defaultLanguageOf, loadConfig } from './config';
import { I18n } from './i18n';
import { startupLine } from './chat/terminal/startup-line';
import { createLogger } from './logger';
import { createScrubber } from './security';
import { exitOnSignals } from './shutdown';
import { terminalLogDestination } from './chat/terminal/terminal-log-lines';

/** `npm start`: the bot on its embedded defaults unless the environment says otherwise. */
async function main(): Promise<void> {
  const config = loadConfig();
  // The console chat shares the terminal with the logs; keep them to warnings unless asked.
  // One scrubber for logs, chat, tool output and the model: secrets it learns later (targets) apply everywhere.
  const scrubber = createScrubber(config);
  // On a person's terminal, short lines; redirected, JSON for the tools that collect logs.
  const destination = process.stderr.isTTY ? terminalLogDestination(process.stderr) : undefined;
  const logger = createLogger(config.LOG_LEVEL ?? 'warn', { scrubber, ...(destination ? { destination } : {}) });
  const started = startApp(config, logger, { input: process.stdin, output: process.stdout }, scrubber);
  // Listening before start-up ends: a SIGTERM during it stops the bot once it has started, not half-way.
  exitOnSignals(async () => (await started).stop(), logger, config.SHUTDOWN_TIMEOUT);
  const app = await started;
  const consoleUrl = `${config.TLS_CERT && config.TLS_KEY ? 'https' : 'http'}://localhost:${app.httpPort}/`;
  process.stdout.write(`${startupLine(config, consoleUrl, app.loaded, new I18n(defaultLanguageOf(config), config.TIMEZONE).translator())}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
