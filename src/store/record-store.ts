import type { MikroORM } from '@mikro-orm/postgresql';
import type { Diagnosis, PolicyDecision, ProposalOutcome } from '../domain';
import { DiagnosisRecord, ProposalRecord } from './entities';

/** Diagnoses and proposals as queryable records, one per incident attempt (re-runs overwrite). */
export class RecordStore {
  constructor(private readonly orm: MikroORM) {}

  async saveDiagnosis(incidentId: string, attempt: number, data: Diagnosis): Promise<void> {
    await this.orm.em
      .fork()
      .createQueryBuilder(DiagnosisRecord)
      .insert({ incidentId, attempt, data, createdAt: new Date() })
      .onConflict(['incident_id', 'attempt'])
      .merge(['data'])
      .execute();
  }

  async saveProposal(incidentId: string, attempt: number, data: ProposalOutcome): Promise<void> {
    await this.orm.em
      .fork()
      .createQueryBuilder(ProposalRecord)
      .insert({ incidentId, attempt, data, createdAt: new Date() })
      .onConflict(['incident_id', 'attempt'])
      .merge(['data'])
      .execute();
  }

  async saveDecision(incidentId: string, attempt: number, decision: PolicyDecision): Promise<void> {
    await this.orm.em.fork().nativeUpdate(ProposalRecord, { incidentId, attempt }, { decision });
  }
}
