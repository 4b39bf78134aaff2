import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createScrubber } from './security';

/** `npm start`: the bot on its embedded defaults unless the environment says otherwise. */
async function main(): Promise<void> {
  const config = loadConfig();
  // The console chat shares the terminal with the logs; keep them to warnings unless asked.
  // One scrubber for logs, chat, tool output and the model: secrets it learns later (targets) apply everywhere.
  const scrubber = createScrubber(config);
  const logger = createLogger(config.LOG_LEVEL ?? 'warn', { scrubber });
  const app = await startApp(config, logger, { input: process.stdin, output: process.stdout }, scrubber);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
