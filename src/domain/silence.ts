/** Which silence held an alert back: what intake reports instead of an incident. */
export interface SilenceMatch {
  /** Human-typable id, e.g. `SIL-7K3Q`. */
  silenceId: string;
  /** The silence's matchers as typed (normalised), e.g. `alertname="KubeNodeNotReady" service=~"checkout.*"`. */
  matchers: string;
  reason: string;
  createdBy: string;
  endsAt: Date;
}
