export { accessFrom, checkDecision } from './access';
export type { DecisionAccess, PersonEventType, Verdict } from './access';
export { ExecutionPolicy } from './execution-policy';
export type { EvaluationContext } from './execution-policy';
export { PolicySource } from './load-policy';
export { builtinPolicy, parsePolicy, PolicyError } from './policy-rules';
export type { PolicyRules } from './policy-rules';
