import type { MikroORM } from '@mikro-orm/postgresql';
import type { CreateIncidentRequest } from '../runtime/incident-service';
import { DeferredAlertRecord } from './entities';

export interface DeferredAlert {
  id: number;
  incidentId: string;
  request: CreateIncidentRequest;
  attempts: number;
}

/** Alert repeats waiting for their incident to be free (it was busy on another instance). */
export class DeferredAlertStore {
  constructor(private readonly orm: MikroORM) {}

  async add(incidentId: string, request: CreateIncidentRequest): Promise<void> {
    const em = this.orm.em.fork();
    em.create(DeferredAlertRecord, { incidentId, request, createdAt: new Date(), attempts: 0 });
    await em.flush();
  }

  /** The oldest first. */
  async waiting(limit: number): Promise<DeferredAlert[]> {
    const rows = await this.orm.em.fork().find(DeferredAlertRecord, {}, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
    return rows.map((row) => ({ id: row.id, incidentId: row.incidentId, request: row.request as unknown as CreateIncidentRequest, attempts: row.attempts }));
  }

  async remove(id: number): Promise<void> {
    await this.orm.em.fork().nativeDelete(DeferredAlertRecord, { id });
  }

  async countAttempt(id: number): Promise<void> {
    await this.orm.em.fork().getConnection().execute('update deferred_alerts set attempts = attempts + 1 where id = ?', [id]);
  }
}
