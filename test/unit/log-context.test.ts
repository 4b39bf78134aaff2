import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, toPromise } from 'xstate';
import { incidentStep } from '../../src/implementations/incident-step';
import { createLogger } from '../../src/logger';
import { withIncidentLog } from '../../src/observability/log-context';

/** A logger as the bot builds it, writing to an array of parsed lines. */
function capture() {
  const raw: string[] = [];
  const logger = createLogger('info', { destination: { write: (line: string) => void raw.push(line) } });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, lines };
}

describe('the incident id on log lines', () => {
  it('is on every line written while working on an incident, however deep, and on no other', async () => {
    const { logger, lines } = capture();
    const plugin = logger.child({ plugin: 'http.probe' });
    logger.info('before');
    await withIncidentLog('INC-AAAA0001', async () => {
      logger.info('at once');
      await sleep(1);
      plugin.warn('after an await, from a child that never heard of the incident');
      await new Promise<void>((resolve) => setTimeout(() => resolve(logger.info('from a timer')), 1));
    });
    logger.info('after');

    expect(lines().map((l) => [l.msg, l.incidentId])).toEqual([
      ['before', undefined],
      ['at once', 'INC-AAAA0001'],
      ['after an await, from a child that never heard of the incident', 'INC-AAAA0001'],
      ['from a timer', 'INC-AAAA0001'],
      ['after', undefined],
    ]);
  });

  it('leaves an id the line or the logger already names, once', async () => {
    const { logger, raw, lines } = capture();
    await withIncidentLog('INC-AAAA0001', async () => {
      logger.info({ incidentId: 'INC-BBBB0002' }, 'about another incident');
      logger.child({ incidentId: 'INC-CCCC0003' }).info('a child bound to a third');
      await withIncidentLog('INC-DDDD0004', () => Promise.resolve(logger.info('nested')));
    });
    expect(lines().map((l) => l.incidentId)).toEqual(['INC-BBBB0002', 'INC-CCCC0003', 'INC-DDDD0004']);
    for (const line of raw) expect(line.match(/"incidentId"/g)).toHaveLength(1);
  });

  it('is set for the chart steps by incidentStep, from the incident actor', async () => {
    const { logger, lines } = capture();
    const step = incidentStep<string>(async () => {
      await sleep(1);
      logger.warn('inside the step');
      return 'done';
    });
    const machine = createMachine({
      context: { incidentId: 'INC-EEEE0005', alert: { title: 'x' } },
      initial: 'working',
      states: { working: { invoke: { src: step, onDone: 'finished' } }, finished: { type: 'final' } },
    });
    await toPromise(createActor(machine, { systemId: 'incident' }).start());
    expect(lines()).toEqual([expect.objectContaining({ msg: 'inside the step', incidentId: 'INC-EEEE0005' })]);
  });
});
