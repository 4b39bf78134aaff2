import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `INC-` + 8 Crockford base32 characters (40 random bits): short enough to type in a chat command. */
export function newIncidentId(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return `INC-${out}`;
}

export const INCIDENT_ID_PATTERN = /^INC-[0-9A-HJKMNP-TV-Z]{8}$/;
