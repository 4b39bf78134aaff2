import { pino } from 'pino';
import type { Bindings, ChildLoggerOptions, DestinationStream, LogFn, Logger } from 'pino';
import { logContextMixin } from './observability/log-context';
import { SecretScrubber } from './security/redact';
import type { Scrubber } from './security/redact';
import { LOG_REDACT_PATHS, REDACTED } from './security/secret-keys';

export interface LoggerOptions {
  /** Scrubs every message, argument, object and child binding before it is written; built-in rules by default. */
  scrubber?: Scrubber;
  /** Where lines go; stderr by default. */
  destination?: DestinationStream;
}

/**
 * JSON logs to stderr: stdout belongs to the console chat when it is on. Two layers keep secrets out:
 * pino's path redaction for well-known field names, and the scrubber for everything else (a token in a
 * message, a password in an error's message or stack, a connection string in a nested field).
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const scrubber = options.scrubber ?? new SecretScrubber();
  const logger = pino(
    {
      level,
      // Lines written while working on an incident carry its id, however deep the code that wrote them.
      mixin: logContextMixin,
      redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          method.apply(this, scrubber.scrubValue(args) as Parameters<LogFn>);
        },
      },
      formatters: { bindings: (bindings) => scrubber.scrubValue(bindings) as Bindings },
    },
    options.destination ?? pino.destination(2),
  );
  return scrubChildBindings(logger, scrubber);
}

/**
 * pino serializes a child's bindings once, without the bindings formatter, so they are scrubbed on the
 * way in. Children inherit these methods from the root through their prototype, at every depth.
 */
function scrubChildBindings(logger: Logger, scrubber: Scrubber): Logger {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- both are called with each logger as `this`.
  const { child, setBindings } = logger;
  const scrub = (bindings: Bindings) => scrubber.scrubValue(bindings) as Bindings;
  // `this`, not the root: a grandchild must be built on its parent to keep the parent's bindings.
  logger.child = function <Levels extends string = never>(this: Logger, bindings: Bindings, options?: ChildLoggerOptions<Levels>) {
    return Reflect.apply(child, this, [scrub(bindings), options]) as Logger<Levels>;
  };
  logger.setBindings = function (this: Logger, bindings: Bindings) {
    setBindings.call(this, scrub(bindings));
  };
  return logger;
}
