import { REDACTED } from './secret-keys';

const hasDigitAndLetter = (value: string): boolean => /\d/.test(value) && /[A-Za-z]/.test(value);

/**
 * Token formats recognisable on their own, wherever they appear: the shapes secret scanners
 * (gitleaks, GitHub secret scanning) ship rules for. Every pattern starts only where a run of its
 * characters starts (a lookbehind) and bounds its runs, so a long run of look-alikes is scanned once:
 * `\beyJ[\w-]{5,}` alone rescanned from every `eyJ` of `eyJ-eyJ-…` (quadratic: 21 s of stalls on 1 MB).
 */
const TOKEN_FORMATS: { pattern: RegExp; check?: (token: string) => boolean }[] = [
  // JWT: base64url JSON header, payload, signature.
  { pattern: /(?<![\w-])eyJ[\w-]{5,8192}\.[\w-]{5,65536}\.[\w-]{0,8192}/g },
  // AWS access key ids.
  { pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  // GitHub personal, OAuth, user-to-server, server-to-server, refresh and fine-grained tokens.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  // GitLab personal, deploy, runner, trigger, feed and OAuth tokens.
  { pattern: /(?<![\w-])(?:glpat|gldt|glrt|glptt|glft|gloas|glcbt|glimt|glsoat)-[\w-]{20,255}/g },
  // Slack bot, user, app and config tokens.
  { pattern: /(?<![\w-])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,250}/g },
  // OpenAI (`sk-`, `sk-proj-`) and Anthropic (`sk-ant-`) keys.
  { pattern: /(?<![\w-])sk-[A-Za-z0-9_-]{20,250}/g, check: hasDigitAndLetter },
  // Stripe secret and restricted keys (`pk_` publishable keys are public).
  { pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,255}/g },
  // npm, PyPI, Shopify, DigitalOcean, HashiCorp Vault, Databricks, Doppler, SendGrid, Twilio.
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,1000}/g },
  { pattern: /\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/g },
  { pattern: /\bdo[por]_v1_[a-f0-9]{64}\b/g },
  { pattern: /\bhv[sbr]\.[\w-]{24,255}/g },
  { pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g },
  { pattern: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b/g },
  { pattern: /\bSG\.[\w-]{22}\.[\w-]{43}\b/g },
  { pattern: /\bSK[0-9a-f]{32}\b/g },
  // Google API keys.
  { pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  // Lark/Feishu tenant, user and app access tokens (`t-g104…`).
  { pattern: /(?<![\w-])[tua]-[A-Za-z0-9_]{30,250}/g, check: hasDigitAndLetter },
  // A bare AWS secret access key: 40 base64 characters of mixed case and digits. Lowercase hex
  // (a git commit id) does not qualify.
  {
    pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    check: (token) => /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token),
  },
];

export const tokenFormats = (text: string): string =>
  TOKEN_FORMATS.reduce(
    (current, { pattern, check }) => current.replace(pattern, (token) => (check && !check(token) ? token : REDACTED)),
    text,
  );
